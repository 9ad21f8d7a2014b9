package dev.agentyard.runtime.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Readiness of a consumer poll loop, safe to read from the HTTP thread (a {@code KafkaConsumer}
 * itself must not be touched from another thread). The loop calls {@link #polled()} after every
 * successful poll; the check is up while the last one is recent. A consumer with no partitions
 * assigned (more members than partitions) is still ready: it is healthy and waiting.
 */
public final class PollLoopHealth implements HealthCheck {

  private final Clock clock;
  private final Duration maxSilence;
  private final AtomicReference<Instant> lastPoll = new AtomicReference<>();
  private volatile String stoppedBecause;

  /**
   * @param maxSilence longest gap between polls that still counts as alive (e.g.
   *     max.poll.interval.ms)
   */
  public PollLoopHealth(Clock clock, Duration maxSilence) {
    this.clock = clock;
    this.maxSilence = maxSilence;
  }

  /** Called by the poll loop after each successful poll. */
  public void polled() {
    lastPoll.set(clock.instant());
  }

  /** Called when the loop ends for good (shutdown or fatal error). */
  public void stopped(String why) {
    stoppedBecause = why;
  }

  @Override
  public Status check() {
    if (stoppedBecause != null) {
      return Status.down("poll loop stopped: " + stoppedBecause);
    }
    Instant last = lastPoll.get();
    if (last == null) {
      return Status.down("no poll yet");
    }
    Duration since = Duration.between(last, clock.instant());
    return since.compareTo(maxSilence) <= 0
        ? Status.up("last poll " + since.toMillis() + " ms ago")
        : Status.down(
            "no poll for " + since.toMillis() + " ms (limit " + maxSilence.toMillis() + " ms)");
  }
}
