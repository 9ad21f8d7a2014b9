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
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer loop that keeps many records in flight at once, independent of the partition count,
 * with bounded memory, no lost or skipped work, and every ending written once (ADR 0007, ADR 0008):
 *
 * <ul>
 *   <li>each record is handed to an asynchronous handler that completes with the record's {@link
 *       Outputs} (its result, review item, retry or dead letter);
 *   <li>every {@code commitInterval} the loop writes the outputs that completed, and the offsets up
 *       to the first record still in flight ({@link OffsetTracker}), in one Kafka transaction
 *       carrying the consumer group's metadata (KIP-447): an instance that lost its partitions in a
 *       rebalance (a zombie) cannot commit, its transaction aborts, and the new owner — whose
 *       offset fetch waits for a pending transaction — sees either all of it or none;
 *   <li>the offsets of every partition a transaction writes for go with it, even when they did not
 *       move, so no transaction writes for a partition without that fence;
 *   <li>when a transaction fails, its outputs are dropped and the partitions it wrote for are
 *       rewound to their last committed offset: their records run again (resuming from their
 *       journal);
 *   <li>when {@code maxInFlight} records are in flight, every partition is paused; polling goes on
 *       (the consumer stays in its group) and partitions resume when completions make room;
 *   <li>a record from a delay topic whose not-before time lies ahead pauses only its partition
 *       (seeking back to it) until it is due, without blocking other partitions;
 *   <li>on revocation, in-flight work of the revoked partitions gets {@code drainTimeout} to finish
 *       and what finished is committed while the partitions are still owned; the rest is consumed
 *       again by the new owner. Lost partitions are forgotten without a commit.
 * </ul>
 *
 * A handler that completes exceptionally has failed to route its record anywhere: that is a bug,
 * and the loop stops without committing past the record, so nothing is lost.
 */
public final class AsyncConsumerLoop implements Runnable, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AsyncConsumerLoop.class);

  /** Processes one record; the stage completes with the outputs that end it. */
  @FunctionalInterface
  public interface RecordHandler {
    CompletionStage<Outputs> handle(ConsumerRecord<byte[], byte[]> record);

    /**
     * Called on the loop's thread with each poll's records before any of them is handled, and the
     * partitions among theirs assigned since the last call (whose committed positions are resolved
     * by now).
     */
    default void beforeDispatch(
        List<ConsumerRecord<byte[], byte[]>> records, Set<TopicPartition> newlyAssigned) {}

    /**
     * Partitions given up (revoked or lost), and those still owned. Work still going on them is
     * someone else's now; the handler may wait up to {@code handover} for it to stop (zero when the
     * partitions were lost: their new owner may be at work already), so that the next owner starts
     * from what it left behind.
     */
    default void released(
        Collection<TopicPartition> partitions, Set<TopicPartition> stillOwned, Duration handover) {}
  }

  private record Done(
      TopicPartition tp, long offset, long epoch, Throwable error, Outputs outputs) {}

  private record Pending(TopicPartition tp, Outputs outputs) {}

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
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
  private final Set<TopicPartition> newlyAssigned = new HashSet<>();
  private final List<Pending> pending = new ArrayList<>();
  private final Map<TopicPartition, Long> lastCommitted = new HashMap<>();

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

  /**
   * @param producer a transactional producer of this loop alone ({@code initTransactions} is called
   *     here)
   */
  public AsyncConsumerLoop(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
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
    this.producer = producer;
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
    producer.initTransactions();
    consumer.subscribe(
        topics,
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (aborted) {
              return; // a crash commits nothing (close() revokes the partitions on its way out)
            }
            handOver(partitions);
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.info("Assigned {}", partitions);
            newlyAssigned.addAll(partitions);
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
            released(partitions, Duration.ZERO);
          }
        });
  }

  /**
   * Gives partitions up in order: waits up to the drain timeout for their in-flight records,
   * commits what finished (still owned while this runs), forgets them, then lets the handler stop
   * what is still going on them — waiting up to the drain timeout again — so the next owner finds
   * it ended.
   */
  private void handOver(Collection<TopicPartition> partitions) {
    drain(partitions);
    Set<TopicPartition> owned = new HashSet<>(consumer.assignment());
    owned.addAll(partitions);
    commit(owned);
    List<TopicPartition> given = List.copyOf(partitions);
    given.forEach(this::forget);
    released(given, drainTimeout);
  }

  private void released(Collection<TopicPartition> partitions, Duration handover) {
    newlyAssigned.removeAll(partitions);
    Set<TopicPartition> still = new HashSet<>(consumer.assignment());
    still.removeAll(partitions);
    handler.released(partitions, still, handover);
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
      if (!aborted && failure == null) {
        try {
          // before close(), which revokes the partitions again and then finds nothing in flight
          handOver(consumer.assignment());
        } catch (RuntimeException e) {
          log.warn("Final commit failed; uncommitted work will be consumed again", e);
        }
      }
      health.stopped(failure == null ? "closed" : failure.toString());
      pending.forEach(p -> p.outputs().onCommit().accept(false));
      pending.clear();
      consumer.close();
      producer.close(Duration.ofSeconds(5));
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
    ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout());
    health.polled();
    if (!records.isEmpty()) {
      List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(records.count());
      records.forEach(batch::add);
      Set<TopicPartition> fresh = new HashSet<>();
      for (TopicPartition tp : records.partitions()) {
        if (newlyAssigned.remove(tp)) {
          fresh.add(tp);
        }
      }
      handler.beforeDispatch(batch, fresh);
    }
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
      CompletionStage<Outputs> stage;
      try {
        stage = handler.handle(r);
      } catch (RuntimeException e) {
        stage = CompletableFuture.failedFuture(e);
      }
      stage.whenComplete((out, err) -> completions.add(new Done(tp, r.offset(), epoch, err, out)));
    }
    if (Duration.between(lastCommit, clock.instant()).compareTo(commitInterval) >= 0) {
      applyCompletions();
      commit(consumer.assignment());
    }
  }

  /**
   * How long this iteration's poll may wait: no longer than until the next commit is due (results
   * that complete meanwhile are written on time, not after a poll with nothing new to read), and
   * only {@link #SATURATED_POLL} while every in-flight slot is taken (the partitions are paused, so
   * the poll would return nothing; a run that ends meanwhile frees its slot at the next iteration,
   * which would otherwise come up to a whole poll timeout later).
   */
  Duration pollTimeout() {
    Duration wait = pollTimeout;
    Duration untilCommit = commitInterval.minus(Duration.between(lastCommit, clock.instant()));
    if (untilCommit.compareTo(wait) < 0) {
      wait = untilCommit.isNegative() ? Duration.ZERO : untilCommit;
    }
    if (tracker.inFlight() >= maxInFlight && SATURATED_POLL.compareTo(wait) < 0) {
      wait = SATURATED_POLL;
    }
    return wait;
  }

  static final Duration SATURATED_POLL = Duration.ofMillis(5);

  /** Records currently in flight. */
  public int inFlight() {
    return tracker.inFlight();
  }

  private void applyCompletions() {
    Done d;
    while ((d = completions.poll()) != null) {
      if (d.epoch() != epochs.getOrDefault(d.tp(), 0L)) {
        // finished after its partition was given up or rewound: redone by whoever owns it now
        if (d.outputs() != null) {
          d.outputs().onCommit().accept(false);
        }
        continue;
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
      pending.add(new Pending(d.tp(), d.outputs() == null ? Outputs.none() : d.outputs()));
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

  /**
   * Writes the completed records' outputs and the offsets of the owned partitions in one
   * transaction with the group's metadata; on failure drops the outputs and rewinds the partitions
   * they were for.
   */
  private void commit(Collection<TopicPartition> owned) {
    lastCommit = clock.instant();
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.takeCommits();
    offsets.keySet().retainAll(owned);
    List<Pending> batch = new ArrayList<>();
    for (Pending p : pending) {
      if (owned.contains(p.tp())) {
        batch.add(p);
      } else {
        p.outputs().onCommit().accept(false); // given up meanwhile: the new owner redoes it
      }
    }
    pending.clear();
    boolean writes = batch.stream().anyMatch(p -> !p.outputs().records().isEmpty());
    if (!writes && offsets.isEmpty()) {
      batch.forEach(p -> p.outputs().onCommit().accept(true));
      return;
    }
    Set<TopicPartition> touched = new HashSet<>(offsets.keySet());
    for (Pending p : batch) {
      if (!p.outputs().records().isEmpty() && touched.add(p.tp())) {
        tracker.position(p.tp()).ifPresent(o -> offsets.put(p.tp(), new OffsetAndMetadata(o)));
      }
    }
    try {
      producer.beginTransaction();
      for (Pending p : batch) {
        for (ProducerRecord<byte[], byte[]> r : p.outputs().records()) {
          producer.send(r);
        }
      }
      if (!offsets.isEmpty()) {
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      }
      producer.commitTransaction();
    } catch (ProducerFencedException | InvalidProducerEpochException e) {
      // another instance took this transactional id: this one is a zombie and must stop
      batch.forEach(p -> p.outputs().onCommit().accept(false));
      throw e;
    } catch (KafkaException e) {
      log.warn(
          "Output transaction for {} failed ({}); its outputs are dropped and {} rewound",
          topics,
          e.toString(),
          touched);
      try {
        producer.abortTransaction();
      } catch (KafkaException abortFailed) {
        batch.forEach(p -> p.outputs().onCommit().accept(false));
        throw abortFailed;
      }
      batch.forEach(p -> p.outputs().onCommit().accept(false));
      rewind(touched);
      return;
    }
    offsets.forEach((tp, o) -> lastCommitted.put(tp, o.offset()));
    batch.forEach(p -> p.outputs().onCommit().accept(true));
  }

  /**
   * After a failed transaction: forgets what is in flight on the partitions and consumes them again
   * from their last committed offset.
   */
  private void rewind(Set<TopicPartition> partitions) {
    Set<TopicPartition> assigned = consumer.assignment();
    for (TopicPartition tp : partitions) {
      Long at = lastCommitted.get(tp);
      forget(tp);
      if (!assigned.contains(tp)) {
        continue;
      }
      if (at == null) {
        OffsetAndMetadata c = consumer.committed(Set.of(tp)).get(tp);
        at = c == null ? null : c.offset();
      }
      if (at == null) {
        consumer.seekToBeginning(List.of(tp));
      } else {
        consumer.seek(tp, at);
      }
      if (consumer.paused().contains(tp)) {
        pausedForBackpressure.add(tp); // resumed with the others when there is room
      }
    }
  }

  private void forget(TopicPartition tp) {
    epochs.merge(tp, 1L, Long::sum);
    tracker.forget(tp);
    lastCommitted.remove(tp);
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
