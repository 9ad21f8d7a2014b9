package dev.agentyard.dlq.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Checks {@code Authorization: Bearer <token>} against the configured tokens, in constant time:
 * both sides are hashed to SHA-256 first (equal lengths) and compared with {@link
 * MessageDigest#isEqual}, and every configured token is compared, so neither the length nor the
 * position of a match leaks through timing. Tokens are never logged or echoed.
 */
public final class BearerAuth {

  private final Map<String, byte[]> digestByOperator = new LinkedHashMap<>();

  /**
   * @param tokens token by operator name
   */
  public BearerAuth(Map<String, String> tokens) {
    tokens.forEach((name, token) -> digestByOperator.put(name, sha256(token)));
  }

  /** The operator the header authenticates, or empty for a missing, malformed or wrong token. */
  public Optional<String> operator(String authorizationHeader) {
    if (authorizationHeader == null
        || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    byte[] given = sha256(authorizationHeader.substring(7).strip());
    String match = null;
    for (Map.Entry<String, byte[]> e : digestByOperator.entrySet()) {
      if (MessageDigest.isEqual(e.getValue(), given) && match == null) {
        match = e.getKey();
      }
    }
    return Optional.ofNullable(match);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
