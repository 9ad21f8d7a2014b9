package dev.agentyard.runtime.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentyard.avro.ApprovalGrant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ApprovalGrantsTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Clock NOW = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
  static final String INPUT =
      "{\"applicationId\":\"a-1\",\"decision\":\"approve\",\"amount\":250000}";
  final ApprovalGrants grants = new ApprovalGrants("key-0123456789abcdef0123456789abcdef", NOW);

  @Test
  void aGrantAllowsExactlyTheApprovedCallWhateverTheKeyOrder() throws Exception {
    ApprovalGrant g =
        grants.issue("t-1", "approve_loan", INPUT, "rv-1", "alice", Duration.ofHours(1));

    assertThat(
            grants.refusal(
                g,
                "t-1",
                "approve_loan",
                JSON.readTree(
                    "{\"amount\":250000,\"decision\":\"approve\",\"applicationId\":\"a-1\"}")))
        .isEmpty();
    assertThat(
            grants.refusal(
                g, "t-1", "approve_loan", JSON.readTree(INPUT.replace("250000", "950000"))))
        .contains("granted for another input of approve_loan");
    assertThat(grants.refusal(g, "t-1", "wire_money", JSON.readTree(INPUT)))
        .contains("granted for tool approve_loan, not wire_money");
  }

  @Test
  void anyTamperingBreaksTheSignature() throws Exception {
    ApprovalGrant g =
        grants.issue("t-1", "approve_loan", INPUT, "rv-1", "alice", Duration.ofHours(1));
    ApprovalGrant tampered =
        ApprovalGrant.newBuilder(g)
            .setExpiresAt(g.getExpiresAt().plus(Duration.ofDays(365)))
            .build();

    assertThat(grants.refusal(tampered, "t-1", "approve_loan", JSON.readTree(INPUT)))
        .contains("signature does not verify");
  }

  @Test
  void anExpiredGrantIsRefused() throws Exception {
    ApprovalGrant g = grants.issue("t-1", "approve_loan", INPUT, "rv-1", "alice", Duration.ZERO);

    assertThat(grants.refusal(g, "t-1", "approve_loan", JSON.readTree(INPUT)))
        .get()
        .asString()
        .startsWith("expired");
  }

  @Test
  void aShortKeyIsRefusedWithoutShowingIt() {
    assertThatThrownBy(() -> new ApprovalGrants("short-key", NOW))
        .hasMessageContaining("at least 32 bytes")
        .hasMessageNotContaining("short-key");
  }
}
