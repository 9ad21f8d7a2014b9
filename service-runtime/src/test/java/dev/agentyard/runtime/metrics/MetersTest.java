package dev.agentyard.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class MetersTest {

  @Test
  void aCounterIsRegisteredOncePerNameAndTags() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Meters meters = new Meters(registry);

    meters.counter("agentyard.test.events", "Events", "route", "income").increment();
    meters.counter("agentyard.test.events", "Events", "route", "income").increment(2);
    meters.counter("agentyard.test.events", "Events", "route", "banking").increment();

    assertThat(meters.counter("agentyard.test.events", "Events", "route", "income"))
        .isSameAs(meters.counter("agentyard.test.events", "Events", "route", "income"));
    assertThat(registry.get("agentyard.test.events").tag("route", "income").counter().count())
        .isEqualTo(3.0);
    assertThat(registry.get("agentyard.test.events").tag("route", "banking").counter().count())
        .isEqualTo(1.0);
    assertThat(registry.find("agentyard.test.events").counters()).hasSize(2);
  }
}
