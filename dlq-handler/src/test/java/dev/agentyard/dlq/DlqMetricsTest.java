package dev.agentyard.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class DlqMetricsTest {

  @Test
  void countsActionsRecordsAndHttpStatuses() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DlqMetrics m = new DlqMetrics(registry);

    m.action("REPLAY", "SUCCEEDED");
    m.action("REPLAY", "SUCCEEDED");
    m.records("replayed", 25);
    m.http(401);

    assertThat(
            registry
                .get(DlqMetrics.ACTIONS)
                .tag("action", "REPLAY")
                .tag("outcome", "SUCCEEDED")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(registry.get(DlqMetrics.RECORDS).tag("what", "replayed").counter().count())
        .isEqualTo(25);
    assertThat(registry.get(DlqMetrics.HTTP_REQUESTS).tag("status", "401").counter().count())
        .isEqualTo(1);
  }
}
