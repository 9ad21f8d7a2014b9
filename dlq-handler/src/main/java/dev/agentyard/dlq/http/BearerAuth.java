package dev.agentyard.dlq.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks {@code Authorization: Bearer <token>} against the configured tokens, in constant time:
 * both sides are hashed to SHA-256 first (equal lengths) and compared with {@link
 * MessageDigest#isEqual}, and every configured token is compared, so neither the length nor the
 * position of a match leaks through timing. Tokens are never logged or echoed.
 */
public final class BearerAuth {

  /** Who a token stands for, and what they may do. */
  public record Principal(String name, Set<String> roles) {
    public boolean may(String role) {
      return roles.contains(role);
    }
  }

  private final Map<String, byte[]> digestByOperator = new LinkedHashMap<>();
  private final Map<String, Set<String>> roles;

  /**
   * @param tokens token by operator name
   * @param roles roles by operator name (an operator without an entry has none)
   */
  public BearerAuth(Map<String, String> tokens, Map<String, Set<String>> roles) {
    tokens.forEach((name, token) -> digestByOperator.put(name, sha256(token)));
    this.roles = Map.copyOf(roles);
  }

  /** Whom the header authenticates, or empty for a missing, malformed or wrong token. */
  public Optional<Principal> principal(String authorizationHeader) {
    if (authorizationHeader == null
        || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return principalOfToken(authorizationHeader.substring(7).strip());
  }

  /** Whom a token (as typed into a sign-in form) stands for, or empty for a wrong one. */
  public Optional<Principal> principalOfToken(String token) {
    if (token == null) {
      return Optional.empty();
    }
    byte[] given = sha256(token);
    String match = null;
    for (Map.Entry<String, byte[]> e : digestByOperator.entrySet()) {
      if (MessageDigest.isEqual(e.getValue(), given) && match == null) {
        match = e.getKey();
      }
    }
    return Optional.ofNullable(match)
        .map(name -> new Principal(name, roles.getOrDefault(name, Set.of())));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
