package dev.agentyard.workers.consume;

import dev.agentyard.runtime.http.PollLoopHealth;
import dev.agentyard.workers.retry.RetryRouter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer loop that keeps many records in flight at once, independent of the partition count,
 * with bounded memory and no lost or skipped work:
 *
 * <ul>
 *   <li>each record is handed to an asynchronous handler that completes once the record's outputs
 *       (result, usage, retry or dead letter) are written;
 *   <li>offsets are committed only up to the first record still in flight ({@link OffsetTracker});
 *   <li>when {@code maxInFlight} records are in flight, every partition is paused; polling goes on
 *       (the consumer stays in its group) and partitions resume when completions make room;
 *   <li>a record from a delay topic whose not-before time lies ahead pauses only its partition
 *       (seeking back to it) until it is due, without blocking other partitions;
 *   <li>on revocation, in-flight work of the revoked partitions gets {@code drainTimeout} to finish
 *       and what finished is committed; the rest is consumed again by the new owner (tasks are
 *       idempotent by task id). Lost partitions are forgotten without a commit.
 * </ul>
 *
 * A handler that completes exceptionally has failed to route its record anywhere: that is a bug,
 * and the loop stops without committing past the record, so nothing is lost.
 */
public final class AsyncConsumerLoop implements Runnable, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AsyncConsumerLoop.class);

  /** Processes one record; the stage completes when its outputs are durably written. */
  @FunctionalInterface
  public interface RecordHandler {
    CompletionStage<Void> handle(ConsumerRecord<byte[], byte[]> record);
  }

  private record Done(TopicPartition tp, long offset, long epoch, Throwable error) {}

  private final Consumer<byte[], byte[]> consumer;
  private final List<String> topics;
  private final RecordHandler handler;
  private final int maxInFlight;
  private final Duration commitInterval;
  private final Duration drainTimeout;
  private final Duration pollTimeout;
  private final PollLoopHealth health;
  private final Clock clock;
  private final OffsetTracker tracker = new OffsetTracker();
  private final ConcurrentLinkedQueue<Done> completions = new ConcurrentLinkedQueue<>();
  private final Map<TopicPartition, Instant> delayedUntil = new HashMap<>();
  private final Set<TopicPartition> pausedForBackpressure = new HashSet<>();

  /**
   * Bumped each time a partition is given up: a completion from before a revocation must not
   * complete the same offset consumed again after the partition comes back.
   */
  private final Map<TopicPartition, Long> epochs = new HashMap<>();

  private volatile boolean running = true;
  private volatile boolean aborted;
  private volatile Throwable failure;
  private volatile BooleanSupplier hold = () -> false;
  private Instant lastCommit;

  public AsyncConsumerLoop(
      Consumer<byte[], byte[]> consumer,
      List<String> topics,
      RecordHandler handler,
      int maxInFlight,
      Duration commitInterval,
      Duration drainTimeout,
      Duration pollTimeout,
      PollLoopHealth health,
      Clock clock) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1");
    }
    this.consumer = consumer;
    this.topics = List.copyOf(topics);
    this.handler = handler;
    this.maxInFlight = maxInFlight;
    this.commitInterval = commitInterval;
    this.drainTimeout = drainTimeout;
    this.pollTimeout = pollTimeout;
    this.health = health;
    this.clock = clock;
    this.lastCommit = clock.instant();
  }

  /**
   * Subscribes; call once from the loop's thread before {@link #runOnce()} (done by {@link
   * #run()}).
   */
  public void subscribe() {
    consumer.subscribe(
        topics,
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (aborted) {
              return; // a crash commits nothing (close() revokes the partitions on its way out)
            }
            drain(partitions);
            // still owned while this callback runs: commit what finished on them
            Set<TopicPartition> owned = new HashSet<>(consumer.assignment());
            owned.addAll(partitions);
            commit(true, owned);
            partitions.forEach(AsyncConsumerLoop.this::forget);
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.info("Assigned {}", partitions);
            if (hold.getAsBoolean() || tracker.inFlight() >= maxInFlight) {
              // held before the first fetch returns, so a paused route takes nothing even across a
              // rebalance
              consumer.pause(partitions);
              pausedForBackpressure.addAll(partitions);
            }
          }

          @Override
          public void onPartitionsLost(Collection<TopicPartition> partitions) {
            log.warn(
                "Lost {} without a chance to commit; their in-flight work will be consumed again",
                partitions);
            partitions.forEach(AsyncConsumerLoop.this::forget);
          }
        });
  }

  @Override
  public void run() {
    try {
      subscribe();
      while (running) {
        runOnce();
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (RuntimeException e) {
      failure = e;
      log.error("Consumer loop for {} failed", topics, e);
    } finally {
      if (!aborted) {
        try {
          drain(consumer.assignment());
          commit(true, consumer.assignment());
        } catch (RuntimeException e) {
          log.warn("Final commit failed; uncommitted work will be consumed again", e);
        }
      }
      health.stopped(failure == null ? "closed" : failure.toString());
      consumer.close();
    }
  }

  /** One iteration: apply completions, adjust pauses, poll, dispatch, maybe commit. */
  void runOnce() {
    applyCompletions();
    if (failure != null) {
      throw new IllegalStateException(
          "a record handler failed; stopping without committing past it", failure);
    }
    adjustPauses();
    ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
    health.polled();
    Set<TopicPartition> delayedNow = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      if (delayedNow.contains(tp)) {
        continue; // the rest of this partition's batch is re-read after the delay, or when there is
        // room
      }
      if (tracker.inFlight() >= maxInFlight) {
        // a poll can return more records than there is room for: hand back the rest of this
        // partition
        consumer.seek(tp, r.offset());
        consumer.pause(List.of(tp));
        pausedForBackpressure.add(tp);
        delayedNow.add(tp);
        continue;
      }
      Duration wait = RetryRouter.remainingDelay(r, clock);
      if (!wait.isZero()) {
        consumer.seek(tp, r.offset());
        consumer.pause(List.of(tp));
        delayedUntil.put(tp, clock.instant().plus(wait));
        delayedNow.add(tp);
        continue;
      }
      tracker.started(tp, r.offset());
      long epoch = epochs.getOrDefault(tp, 0L);
      CompletionStage<Void> stage;
      try {
        stage = handler.handle(r);
      } catch (RuntimeException e) {
        stage = CompletableFuture.failedFuture(e);
      }
      stage.whenComplete((v, err) -> completions.add(new Done(tp, r.offset(), epoch, err)));
    }
    if (Duration.between(lastCommit, clock.instant()).compareTo(commitInterval) >= 0) {
      commit(false, consumer.assignment());
    }
  }

  /** Records currently in flight. */
  public int inFlight() {
    return tracker.inFlight();
  }

  private void applyCompletions() {
    Done d;
    while ((d = completions.poll()) != null) {
      if (d.epoch() != epochs.getOrDefault(d.tp(), 0L)) {
        continue; // finished after its partition was given up: the new owner redoes it
      }
      if (d.error() != null) {
        failure = d.error();
        log.error(
            "Handler failed on {}@{}; the loop stops and the record will be consumed again",
            d.tp(),
            d.offset(),
            d.error());
        continue; // not completed: never committed past
      }
      tracker.completed(d.tp(), d.offset());
    }
  }

  private void adjustPauses() {
    Instant now = clock.instant();
    List<TopicPartition> due = new ArrayList<>();
    delayedUntil.forEach(
        (tp, until) -> {
          if (!until.isAfter(now)) {
            due.add(tp);
          }
        });
    due.forEach(delayedUntil::remove);
    pausedForBackpressure.addAll(
        due); // due delayed partitions resume with the held ones, when there is room
    Set<TopicPartition> assigned = consumer.assignment();
    if (tracker.inFlight() >= maxInFlight || hold.getAsBoolean()) {
      List<TopicPartition> toPause =
          assigned.stream().filter(tp -> !consumer.paused().contains(tp)).toList();
      if (!toPause.isEmpty()) {
        consumer.pause(toPause);
        pausedForBackpressure.addAll(toPause);
      }
    } else {
      List<TopicPartition> toResume =
          pausedForBackpressure.stream()
              .filter(tp -> assigned.contains(tp) && !delayedUntil.containsKey(tp))
              .toList();
      if (!toResume.isEmpty()) {
        consumer.resume(toResume);
        toResume.forEach(pausedForBackpressure::remove);
      }
    }
  }

  private void drain(Collection<TopicPartition> partitions) {
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    while (partitions.stream().anyMatch(tp -> tracker.inFlight(tp) > 0)
        && System.nanoTime() < deadline) {
      applyCompletions();
      if (partitions.stream().anyMatch(tp -> tracker.inFlight(tp) > 0)) {
        Thread.onSpinWait();
        try {
          Thread.sleep(5); // waiting for handler threads to finish; bounded by drainTimeout
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    applyCompletions();
  }

  private void commit(boolean sync, Collection<TopicPartition> owned) {
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.takeCommits();
    offsets.keySet().retainAll(owned);
    lastCommit = clock.instant();
    if (offsets.isEmpty()) {
      return;
    }
    if (sync) {
      consumer.commitSync(offsets);
    } else {
      consumer.commitAsync(
          offsets,
          (o, e) -> {
            if (e != null) {
              log.warn(
                  "Offset commit failed (will be retried with the next one): {}", e.toString());
            }
          });
    }
  }

  private void forget(TopicPartition tp) {
    epochs.merge(tp, 1L, Long::sum);
    tracker.forget(tp);
    delayedUntil.remove(tp);
    pausedForBackpressure.remove(tp);
  }

  /**
   * Holds every partition while the condition is true (a paused route): polling goes on, so the
   * consumer keeps its partitions, but no new record is taken; in-flight work finishes.
   */
  public void holdWhile(BooleanSupplier condition) {
    this.hold = condition;
  }

  /** Whether the loop ended on a failure (a handler that could not route its record). */
  public Throwable failure() {
    return failure;
  }

  /**
   * Stops at once without draining or committing, as a crash would: everything not yet committed is
   * consumed again by the next owner.
   */
  public void abort() {
    aborted = true;
    close();
  }

  /**
   * Stops the loop from another thread; it drains, commits what finished and closes the consumer.
   */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }
}
