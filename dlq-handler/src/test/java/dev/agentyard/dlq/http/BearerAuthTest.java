package dev.agentyard.dlq.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.dlq.DlqConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BearerAuthTest {

  final BearerAuth auth =
      new BearerAuth(
          Map.of("alice", "alice-token-0123456789", "ci", "ci-token-0123456789abcdef"),
          Map.of("alice", Set.of(DlqConfig.REVIEWER), "ci", Set.of(DlqConfig.OPERATOR)));

  private Optional<String> name(String header) {
    return auth.principal(header).map(BearerAuth.Principal::name);
  }

  @Test
  void aConfiguredTokenNamesItsOperatorAndRoles() {
    assertThat(name("Bearer alice-token-0123456789")).contains("alice");
    assertThat(name("bearer ci-token-0123456789abcdef")).contains("ci");
    BearerAuth.Principal alice = auth.principal("Bearer alice-token-0123456789").orElseThrow();
    assertThat(alice.may(DlqConfig.REVIEWER)).isTrue();
    assertThat(alice.may(DlqConfig.OPERATOR)).isFalse();
    assertThat(auth.principalOfToken("ci-token-0123456789abcdef"))
        .map(BearerAuth.Principal::name)
        .contains("ci");
  }

  @Test
  void aMissingMalformedOrWrongTokenIsRefused() {
    assertThat(name(null)).isEmpty();
    assertThat(name("")).isEmpty();
    assertThat(name("Basic YWxpY2U6cGFzcw==")).isEmpty();
    assertThat(name("Bearer alice-token-012345678")).isEmpty(); // a prefix of a real token
    assertThat(name("Bearer ")).isEmpty();
    assertThat(auth.principalOfToken(null)).isEmpty();
  }

  @Test
  void noConfiguredTokenRefusesEveryone() {
    assertThat(new BearerAuth(Map.of(), Map.of()).principal("Bearer anything-at-all-0000"))
        .isEmpty();
  }

  @Test
  void decisionsNeedAReviewerAndReplaysAnOperatorWhileReadingNeedsNeither() {
    assertThat(DlqHttpApi.roleFor("POST", List.of("reviews", "r-1", "approve")))
        .contains(DlqConfig.REVIEWER);
    assertThat(DlqHttpApi.roleFor("POST", List.of("replays"))).contains(DlqConfig.OPERATOR);
    assertThat(DlqHttpApi.roleFor("POST", List.of("parks"))).contains(DlqConfig.OPERATOR);
    assertThat(DlqHttpApi.roleFor("GET", List.of("reviews"))).isEmpty();
    assertThat(DlqHttpApi.roleFor("GET", List.of("dead-letters"))).isEmpty();
  }
}
