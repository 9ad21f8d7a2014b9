package dev.agentyard.runtime.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentyard.avro.ApprovalGrant;
import dev.agentyard.runtime.config.ConfigFiles;
import dev.agentyard.runtime.config.ConfigValues;
import dev.agentyard.runtime.config.InvalidConfigException;
import dev.agentyard.runtime.config.Secrets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and checks {@link ApprovalGrant}s: a reviewer's approval of one irreversible action on one
 * task. The dlq-handler issues them; workers check them before executing an irreversible tool. A
 * grant is signed with HMAC-SHA256 under a key only the two share, so a record written to a route
 * topic by anyone else cannot carry a usable approval; it is bound to the task id, the tool and the
 * tool's exact input (compared as JSON values), and it expires. Single use is the worker's part: it
 * remembers the grant ids it has used.
 */
public final class ApprovalGrants {

  /**
   * Shortest signing key accepted, in bytes: HMAC-SHA256 keys shorter than the hash add no
   * strength.
   */
  public static final int MIN_KEY_BYTES = 32;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecretKeySpec key;
  private final Clock clock;

  /**
   * @param signingKey the shared secret, at least {@link #MIN_KEY_BYTES} bytes of UTF-8
   */
  public ApprovalGrants(String signingKey, Clock clock) {
    byte[] bytes = signingKey.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < MIN_KEY_BYTES) {
      // the message names the length, never the key
      throw new IllegalArgumentException(
          "the approval signing key must be at least "
              + MIN_KEY_BYTES
              + " bytes, got "
              + bytes.length);
    }
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
    this.clock = clock;
  }

  /** Config key of the signing key itself (prefer the file or the environment variable). */
  public static final String KEY = "approval.signing-key";

  /** Config key of a file holding the signing key (e.g. a mounted Kubernetes Secret). */
  public static final String KEY_FILE = "approval.signing-key-file";

  /** Environment variable read when neither key is configured. */
  public static final String KEY_ENV = "AGENTYARD_APPROVAL_SIGNING_KEY";

  /**
   * The signing key of a service's configuration: {@value #KEY}, else the file named by {@value
   * #KEY_FILE}, else the environment variable {@value #KEY_ENV}; empty when none is set (then no
   * approval can be issued, and no irreversible action executed). Checked for length here, so a
   * short key fails the config, naming the key.
   */
  public static Optional<SigningKey> signingKey(
      ConfigValues c, Map<String, String> env, ConfigFiles files) {
    Optional<String> secret = c.optional(KEY).filter(v -> !v.isBlank());
    if (secret.isEmpty() && c.optional(KEY_FILE).isPresent()) {
      secret = Optional.of(files.read(KEY_FILE, Path.of(c.required(KEY_FILE))).strip());
    }
    if (secret.isEmpty()) {
      secret = Optional.ofNullable(env.get(KEY_ENV)).filter(v -> !v.isBlank());
    }
    Optional<SigningKey> key = secret.map(SigningKey::new);
    key.ifPresent(
        k -> {
          int length = k.value().getBytes(StandardCharsets.UTF_8).length;
          if (length < MIN_KEY_BYTES) {
            // the message names the length, never the key
            throw new InvalidConfigException(
                KEY,
                "the approval signing key must be at least "
                    + MIN_KEY_BYTES
                    + " bytes, got "
                    + length);
          }
        });
    return key;
  }

  /** A signing key as configured; never shown. */
  public record SigningKey(String value) {
    @Override
    public String toString() {
      return Secrets.HIDDEN;
    }
  }

  /** The grants signed with a configured key, on this clock. */
  public static ApprovalGrants of(SigningKey key, Clock clock) {
    return new ApprovalGrants(key.value(), clock);
  }

  /** A signed grant for one action, valid for {@code ttl} from now. */
  public ApprovalGrant issue(
      String taskId,
      String tool,
      String inputJson,
      String reviewId,
      String grantedBy,
      Duration ttl) {
    Instant now = clock.instant();
    ApprovalGrant g =
        ApprovalGrant.newBuilder()
            .setGrantId(UUID.randomUUID().toString())
            .setTaskId(taskId)
            .setTool(tool)
            .setInput(canonical(inputJson))
            .setReviewId(reviewId)
            .setGrantedBy(grantedBy)
            .setGrantedAt(now)
            .setExpiresAt(now.plus(ttl))
            .setSignature("")
            .build();
    g.setSignature(sign(g));
    return g;
  }

  /**
   * Why the grant does not allow calling {@code tool} with {@code input} on {@code taskId}, or
   * empty when it does. Checks the signature first (in constant time), then the binding and expiry.
   */
  public Optional<String> refusal(ApprovalGrant g, String taskId, String tool, JsonNode input) {
    byte[] expected = sign(g).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, g.getSignature().getBytes(StandardCharsets.US_ASCII))) {
      return Optional.of("signature does not verify");
    }
    if (!g.getTaskId().equals(taskId)) {
      return Optional.of("granted for another task");
    }
    if (!g.getTool().equals(tool)) {
      return Optional.of("granted for tool " + g.getTool() + ", not " + tool);
    }
    if (!parse(g.getInput()).equals(input)) {
      return Optional.of("granted for another input of " + tool);
    }
    if (!clock.instant().isBefore(g.getExpiresAt())) {
      return Optional.of("expired at " + g.getExpiresAt());
    }
    return Optional.empty();
  }

  private String sign(ApprovalGrant g) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      // length-prefixed fields: no two different grants share a byte string
      for (String field :
          new String[] {
            g.getGrantId(),
            g.getTaskId(),
            g.getTool(),
            g.getInput(),
            g.getReviewId(),
            g.getGrantedBy(),
            Long.toString(g.getGrantedAt().toEpochMilli()),
            Long.toString(g.getExpiresAt().toEpochMilli())
          }) {
        byte[] b = field.getBytes(StandardCharsets.UTF_8);
        mac.update(
            new byte[] {
              (byte) (b.length >>> 24),
              (byte) (b.length >>> 16),
              (byte) (b.length >>> 8),
              (byte) b.length
            });
        mac.update(b);
      }
      return HexFormat.of().formatHex(mac.doFinal());
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static String canonical(String json) {
    return parse(json).toString();
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the approved tool input is not JSON", e);
    }
  }
}
