package dev.agentyard.dlq.review;

import dev.agentyard.avro.ReviewReason;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open review queue as gauges, for the backlog alerts and their runbook: how many items wait,
 * by reason, and how long the oldest has waited. Counted on a schedule (a scan of the review topic
 * and the audit trail, as a listing does), never per scrape; a failed count keeps the last values
 * and is logged.
 */
public final class ReviewBacklog implements AutoCloseable {

  public static final String OPEN = "agentyard.dlq.review.open";
  public static final String OLDEST = "agentyard.dlq.review.oldest.age";

  private static final Logger log = LoggerFactory.getLogger(ReviewBacklog.class);

  private final ReviewQueue queue;
  private final Clock clock;
  private final Map<ReviewReason, AtomicLong> open = new EnumMap<>(ReviewReason.class);
  private final AtomicLong oldestSeconds = new AtomicLong();
  private final ScheduledExecutorService timer;

  /** Registers the gauges and counts every {@code interval}, the first time at once. */
  public ReviewBacklog(ReviewQueue queue, MeterRegistry registry, Clock clock, Duration interval) {
    this.queue = queue;
    this.clock = clock;
    for (ReviewReason r : ReviewReason.values()) {
      AtomicLong n = new AtomicLong();
      open.put(r, n);
      Gauge.builder(OPEN, n, AtomicLong::get)
          .description("Review items waiting for a decision, by reason")
          .tag("reason", r.name())
          .register(registry);
    }
    Gauge.builder(OLDEST, oldestSeconds, AtomicLong::get)
        .description("How long the oldest open review item has waited (0 when none waits)")
        .baseUnit("seconds")
        .register(registry);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("review-backlog").factory());
    timer.scheduleWithFixedDelay(this::count, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Counts the open items now (the schedule does, too). */
  public void count() {
    try {
      List<ReviewQueue.Entry> waiting = queue.list(ReviewQueue.Filter.open());
      Map<ReviewReason, Long> byReason = new EnumMap<>(ReviewReason.class);
      Instant oldest = null;
      for (ReviewQueue.Entry e : waiting) {
        byReason.merge(e.item().getReason(), 1L, Long::sum);
        Instant created = e.item().getCreatedAt();
        if (created != null && (oldest == null || created.isBefore(oldest))) {
          oldest = created;
        }
      }
      open.forEach((r, n) -> n.set(byReason.getOrDefault(r, 0L)));
      oldestSeconds.set(
          oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toSeconds()));
    } catch (RuntimeException e) {
      log.warn(
          "Could not count the open review items (the gauges keep their last values): {}",
          e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
