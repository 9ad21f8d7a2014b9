package dev.agentyard.dlq;

import dev.agentyard.runtime.approval.ApprovalGrants;
import dev.agentyard.runtime.config.ConfigFiles;
import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.runtime.config.ConfigValues;
import dev.agentyard.runtime.config.InvalidConfigException;
import dev.agentyard.runtime.config.Secrets;
import dev.agentyard.runtime.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dlq-handler's configuration: cluster and registry, the replay safety limits, the approval
 * signing key, and the HTTP API's bearer tokens. Built from the effective configuration (the
 * bundled defaults {@code agentyard-dlq-defaults.properties} overlaid by {@link ConfigLoader});
 * validated when built. {@link #toString()} hides the tokens and the signing key.
 *
 * @param maxReplays the loop guard: a record already replayed this many times is refused
 * @param ratePerSecond default replay pace
 * @param batchSize records per replay transaction
 * @param transactionalId the one transactional id every writing action uses (see the defaults file)
 * @param approvalTtl how long an approval grant is valid
 * @param scanTimeout longest a topic scan may take
 * @param approvalKey the key grants are signed with, when one is configured
 * @param apiTokens bearer tokens of the HTTP API, by the operator name each stands for
 * @param apiRoles what each of those may do ({@link #REVIEWER}, {@link #OPERATOR}); a token given
 *     without roles has both
 * @param traceLink a trace's page in the team's trace backend, {@code {traceId}} standing for the
 *     id ({@code dlq.trace-link}); empty: no links
 * @param reviewAgeTarget how long a review item may wait before the console marks it late
 * @param sessionIdle how long a console session lives without a request
 * @param secureCookie whether the console's session cookie is {@code Secure} (behind TLS)
 * @param claimTtl how long a reviewer's claim on a review item keeps others from deciding it
 *     ({@code dlq.review.claim-ttl})
 * @param backlogInterval how often the server counts the open review items for its backlog gauges
 *     ({@code dlq.review.backlog-interval}; zero: not counted)
 */
public record DlqConfig(
    KafkaSettings kafka,
    int maxReplays,
    int ratePerSecond,
    int batchSize,
    String transactionalId,
    Duration approvalTtl,
    Duration scanTimeout,
    Optional<ApprovalGrants.SigningKey> approvalKey,
    Map<String, String> apiTokens,
    Map<String, Set<String>> apiRoles,
    String httpHost,
    int httpPort,
    Optional<String> traceLink,
    Duration reviewAgeTarget,
    Duration sessionIdle,
    boolean secureCookie,
    Duration claimTtl,
    Duration backlogInterval) {

  public static final String SERVICE = "dlq-handler";

  /** The link to a trace, when {@code dlq.trace-link} is set. */
  public Optional<String> traceLinkOf(String traceId) {
    return traceId == null || traceId.isBlank()
        ? Optional.empty()
        : traceLink.map(t -> t.replace("{traceId}", traceId));
  }

  /**
   * A single bearer token (operator name {@code api}); prefer the file or {@code
   * AGENTYARD_DLQ_HTTP_TOKEN}.
   */
  public static final String TOKEN = "dlq.http.token";

  /** A file of bearer tokens: one per line, {@code name:token}, or a single bare token. */
  public static final String TOKEN_FILE = "dlq.http.token-file";

  /** Shortest bearer token accepted: anything shorter is guessable. */
  public static final int MIN_TOKEN_LENGTH = 16;

  /** Role that decides review items (approve, reject, claim). */
  public static final String REVIEWER = "reviewer";

  /** Role that replays and parks dead letters. */
  public static final String OPERATOR = "operator";

  static final Set<String> ROLES = Set.of(REVIEWER, OPERATOR);

  public DlqConfig {
    apiTokens = Map.copyOf(apiTokens);
    apiRoles = Map.copyOf(apiRoles);
  }

  /**
   * The bundled defaults ({@code agentyard-dlq-defaults.properties}): the only place a default
   * lives.
   */
  public static Map<String, String> defaults() {
    return ConfigLoader.defaults(DlqConfig.class, "/agentyard-dlq-defaults.properties");
  }

  /**
   * The effective configuration of the defaults overlaid with {@code settings} (as a config file
   * would hold them).
   */
  public static Map<String, String> effective(Map<String, String> settings) {
    return ConfigLoader.overlay(defaults(), settings);
  }

  /** The config of the defaults overlaid with {@code settings} (tests and tools). */
  public static DlqConfig withDefaults(Map<String, String> settings, Map<String, String> env) {
    return fromMap(effective(settings), env, ConfigFiles.disk());
  }

  /**
   * Builds the config from the effective map (defaults included, see {@link ConfigLoader}); the
   * signing key may come from {@code env}.
   */
  public static DlqConfig fromMap(
      Map<String, String> map, Map<String, String> env, ConfigFiles files) {
    ConfigValues c = new ConfigValues(map);
    Tokens tokens = tokens(c, files);
    return new DlqConfig(
        KafkaSettings.fromConfig(c),
        c.intValue("dlq.replay.max-replays", 1, 1000),
        c.intValue("dlq.replay.rate-per-second", 1, 1_000_000),
        c.intValue("dlq.replay.batch-size", 1, 10_000),
        c.required("dlq.transactional-id"),
        c.duration("dlq.approval.ttl"),
        c.duration("dlq.scan.timeout"),
        ApprovalGrants.signingKey(c, env, files),
        tokens.tokens(),
        tokens.roles(),
        c.required("http.host"),
        c.intValue("http.port", 0, 65535),
        c.optional("dlq.trace-link").filter(t -> !t.isBlank()).map(String::strip),
        c.duration("dlq.console.review-age-target"),
        c.duration("dlq.console.session-idle"),
        c.bool("dlq.console.secure-cookie"),
        c.duration("dlq.review.claim-ttl"),
        c.duration("dlq.review.backlog-interval"));
  }

  private record Tokens(Map<String, String> tokens, Map<String, Set<String>> roles) {}

  /**
   * The bearer tokens: {@code dlq.http.token} (operator {@code api}, both roles), and the token
   * file's lines {@code name:token} (both roles) or {@code name:token:role[,role]}.
   */
  private static Tokens tokens(ConfigValues c, ConfigFiles files) {
    Map<String, String> byName = new LinkedHashMap<>();
    Map<String, Set<String>> roles = new LinkedHashMap<>();
    c.optional(TOKEN)
        .filter(t -> !t.isBlank())
        .ifPresent(
            t -> {
              byName.put("api", t.strip());
              roles.put("api", ROLES);
            });
    if (c.optional(TOKEN_FILE).isPresent()) {
      Path file = Path.of(c.required(TOKEN_FILE));
      List<String> lines = files.read(TOKEN_FILE, file).lines().toList();
      for (String line : lines) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        String[] f = l.split(":", 3);
        String name = f.length > 1 ? f[0].strip() : "api";
        byName.put(name, (f.length > 1 ? f[1] : f[0]).strip());
        Set<String> granted = new TreeSet<>();
        if (f.length == 3) {
          for (String r : f[2].split(",")) {
            String role = r.strip().toLowerCase(Locale.ROOT);
            if (!ROLES.contains(role)) {
              // names the operator and the role, never the token
              throw new InvalidConfigException(
                  TOKEN_FILE, "unknown role '" + role + "' for '" + name + "'; roles: " + ROLES);
            }
            granted.add(role);
          }
        }
        roles.put(name, granted.isEmpty() ? ROLES : Set.copyOf(granted));
      }
    }
    byName.forEach(
        (name, token) -> {
          if (token.length() < MIN_TOKEN_LENGTH) {
            // names the operator, never the token
            throw new InvalidConfigException(
                TOKEN,
                "the token of '" + name + "' is shorter than " + MIN_TOKEN_LENGTH + " characters");
          }
        });
    return new Tokens(byName, roles);
  }

  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("kafka", kafka.toString());
    shown.put("maxReplays", Integer.toString(maxReplays));
    shown.put("ratePerSecond", Integer.toString(ratePerSecond));
    shown.put("batchSize", Integer.toString(batchSize));
    shown.put("transactionalId", transactionalId);
    shown.put("approvalTtl", approvalTtl.toString());
    shown.put(
        "approvals",
        approvalKey.isPresent()
            ? "signing key " + Secrets.HIDDEN
            : "none (approvals of irreversible actions refused)");
    shown.put(
        "apiTokens",
        apiTokens.isEmpty()
            ? "none (the HTTP API refuses every call)"
            : apiRoles + " " + Secrets.HIDDEN);
    shown.put("http", httpHost + ":" + httpPort);
    return "DlqConfig" + shown;
  }
}
