package dev.agentyard.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PollLoopHealthTest {

  @Test
  void isReadyOnlyWhileTheLoopKeepsPolling() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-21T00:00:00Z"));
    PollLoopHealth health = new PollLoopHealth(clock, Duration.ofSeconds(30));
    assertThat(health.check().up()).isFalse();

    health.polled();
    clock.advance(Duration.ofSeconds(10));
    assertThat(health.check().up()).isTrue();

    clock.advance(Duration.ofSeconds(25));
    assertThat(health.check())
        .isEqualTo(HealthCheck.Status.down("no poll for 35000 ms (limit 30000 ms)"));

    health.polled();
    health.stopped("fatal: TopicAuthorizationException");
    assertThat(health.check().up()).isFalse();
  }
}
