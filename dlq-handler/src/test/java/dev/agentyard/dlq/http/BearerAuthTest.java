package dev.agentyard.dlq.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BearerAuthTest {

  final BearerAuth auth =
      new BearerAuth(Map.of("alice", "alice-token-0123456789", "ci", "ci-token-0123456789abcdef"));

  @Test
  void aConfiguredTokenNamesItsOperator() {
    assertThat(auth.operator("Bearer alice-token-0123456789")).contains("alice");
    assertThat(auth.operator("bearer ci-token-0123456789abcdef")).contains("ci");
  }

  @Test
  void aMissingMalformedOrWrongTokenIsRefused() {
    assertThat(auth.operator(null)).isEmpty();
    assertThat(auth.operator("")).isEmpty();
    assertThat(auth.operator("Basic YWxpY2U6cGFzcw==")).isEmpty();
    assertThat(auth.operator("Bearer alice-token-012345678")).isEmpty(); // a prefix of a real token
    assertThat(auth.operator("Bearer ")).isEmpty();
  }

  @Test
  void noConfiguredTokenRefusesEveryone() {
    assertThat(new BearerAuth(Map.of()).operator("Bearer anything-at-all-0000")).isEmpty();
  }
}
