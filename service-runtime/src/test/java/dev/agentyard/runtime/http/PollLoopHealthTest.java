package dev.agentyard.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PollLoopHealthTest {

  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-11-21T00:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void isReadyOnlyWhileTheLoopKeepsPolling() {
    TestClock clock = new TestClock();
    PollLoopHealth health = new PollLoopHealth(clock, Duration.ofSeconds(30));
    assertThat(health.check().up()).isFalse();

    health.polled();
    clock.now = clock.now.plusSeconds(10);
    assertThat(health.check().up()).isTrue();

    clock.now = clock.now.plusSeconds(25);
    assertThat(health.check()).isEqualTo(HealthCheck.Status.down("no poll for 35000 ms (limit 30000 ms)"));

    health.polled();
    health.stopped("fatal: TopicAuthorizationException");
    assertThat(health.check().up()).isFalse();
  }
}
