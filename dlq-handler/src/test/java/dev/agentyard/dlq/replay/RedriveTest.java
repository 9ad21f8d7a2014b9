package dev.agentyard.dlq.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedriveTest {

  @Test
  void readsTheDelayOfARetryTopicFromItsName() {
    assertThat(Redrive.retryDelay("agent.route.income.v1.retry.10s", "agent.route.income.v1"))
        .contains(Duration.ofSeconds(10));
    assertThat(Redrive.retryDelay("agent.route.income.v1.retry.1m", "agent.route.income.v1"))
        .contains(Duration.ofMinutes(1));
    assertThat(Redrive.retryDelay("agent.route.income.v1.retry.2h", "agent.route.income.v1"))
        .contains(Duration.ofHours(2));
    assertThat(Redrive.retryDelay("agent.route.income.v1.retry.later", "agent.route.income.v1"))
        .isEmpty();
    assertThat(Redrive.retryDelay("agent.route.income.v1.retry.0s", "agent.route.income.v1"))
        .isEmpty();
  }
}
