package dev.agentyard.dlq.replay;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Spaces records evenly at a fixed rate: the n-th record is released no earlier than {@code start +
 * n / rate}. A replay into a route that just recovered must not arrive as one burst; an even pace
 * also keeps provider rate limits and breakers quiet. (A token bucket would allow a burst the size
 * of its capacity, which is what we are avoiding.) Time and sleep are injected so tests do not
 * wait.
 */
public final class Pacer {

  /** Sleeps; interruptible. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper REAL = nanos -> Thread.sleep(Duration.ofNanos(nanos));

    void sleep(long nanos) throws InterruptedException;
  }

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private long next = Long.MIN_VALUE;

  public Pacer(int perSecond, LongSupplier nanoTime, Sleeper sleeper) {
    if (perSecond <= 0) {
      throw new IllegalArgumentException("rate must be positive, got " + perSecond);
    }
    this.intervalNanos = 1_000_000_000L / perSecond;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  /** Waits until the next record may go. */
  public void acquire() throws InterruptedException {
    long now = nanoTime.getAsLong();
    if (next == Long.MIN_VALUE) {
      next = now;
    }
    if (next > now) {
      sleeper.sleep(next - now);
    }
    next = Math.max(next, now) + intervalNanos;
  }
}
