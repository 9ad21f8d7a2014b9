package dev.agentyard.workers.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentyard.runtime.deadletter.RetryHeaders;
import dev.agentyard.runtime.http.PollLoopHealth;
import dev.agentyard.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class AsyncConsumerLoopTest {

  static final String ROUTE = "agent.route.income.v1";
  static final String RETRY = "agent.route.income.v1.retry.10s";
  static final TopicPartition P0 = new TopicPartition(ROUTE, 0);
  static final TopicPartition R0 = new TopicPartition(RETRY, 0);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T12:00:00Z"));
  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final Map<Long, CompletableFuture<Outputs>> pending = new HashMap<>();
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final List<ConsumerRecord<byte[], byte[]>> handled = new ArrayList<>();

  private AsyncConsumerLoop loop(
      int maxInFlight, List<String> topics, List<TopicPartition> assignment) {
    AsyncConsumerLoop loop =
        new AsyncConsumerLoop(
            consumer,
            producer,
            topics,
            r -> {
              handled.add(r);
              CompletableFuture<Outputs> f = new CompletableFuture<>();
              pending.put(r.offset() + (r.topic().equals(RETRY) ? 1_000_000 : 0), f);
              return f;
            },
            maxInFlight,
            Duration.ZERO,
            Duration.ofMillis(50),
            Duration.ofMillis(1),
            new PollLoopHealth(clock, Duration.ofMinutes(1)),
            clock);
    loop.subscribe();
    consumer.rebalance(assignment);
    Map<TopicPartition, Long> begin = new HashMap<>();
    assignment.forEach(tp -> begin.put(tp, 0L));
    consumer.updateBeginningOffsets(begin);
    return loop;
  }

  private void add(TopicPartition tp, long offset, RecordHeaders headers) {
    consumer.addRecord(
        new ConsumerRecord<>(
            tp.topic(),
            tp.partition(),
            offset,
            0L,
            TimestampType.CREATE_TIME,
            0,
            0,
            ("t-" + offset).getBytes(StandardCharsets.UTF_8),
            new byte[] {1},
            headers,
            Optional.empty()));
  }

  /** The offset last committed for the partition in one of the loop's transactions. */
  private long committed(TopicPartition tp) {
    OffsetAndMetadata o = null;
    for (Map<String, Map<TopicPartition, OffsetAndMetadata>> txn :
        producer.consumerGroupOffsetsHistory()) {
      for (Map<TopicPartition, OffsetAndMetadata> offsets : txn.values()) {
        if (offsets.containsKey(tp)) {
          o = offsets.get(tp);
        }
      }
    }
    return o == null ? -1 : o.offset();
  }

  /**
   * The poll waits no longer than until the next commit is due, and only briefly while every slot
   * is taken: a run that ends meanwhile gets its result written, and its slot reused, on time.
   */
  @Test
  void thePollWaitsUntilTheNextCommitAtMostAndBrieflyWhileEverySlotIsTaken() {
    AsyncConsumerLoop loop =
        new AsyncConsumerLoop(
            consumer,
            producer,
            List.of(ROUTE),
            r -> new CompletableFuture<>(),
            2,
            Duration.ofMillis(100),
            Duration.ofMillis(50),
            Duration.ofMillis(250),
            new PollLoopHealth(clock, Duration.ofMinutes(1)),
            clock);
    loop.subscribe();
    consumer.rebalance(List.of(P0));
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
    assertThat(loop.pollTimeout()).isEqualTo(Duration.ofMillis(100)); // the commit is due first
    clock.advance(Duration.ofMillis(70));
    assertThat(loop.pollTimeout()).isEqualTo(Duration.ofMillis(30));
    clock.advance(Duration.ofMillis(40));
    assertThat(loop.pollTimeout()).isEqualTo(Duration.ZERO); // overdue
    loop.runOnce(); // commits (nothing to write): the next one is 100 ms away
    add(P0, 0, new RecordHeaders());
    add(P0, 1, new RecordHeaders());
    loop.runOnce();
    assertThat(loop.inFlight()).isEqualTo(2);
    assertThat(loop.pollTimeout()).isEqualTo(AsyncConsumerLoop.SATURATED_POLL);
  }

  @Test
  void commitsOnlyUpToTheFirstRecordStillInFlight() {
    AsyncConsumerLoop loop = loop(100, List.of(ROUTE), List.of(P0));
    for (long o = 0; o < 5; o++) {
      add(P0, o, new RecordHeaders());
    }
    loop.runOnce();
    assertThat(loop.inFlight()).isEqualTo(5);

    pending.get(1L).complete(Outputs.none());
    pending.get(2L).complete(Outputs.none());
    loop.runOnce();
    assertThat(committed(P0)).isEqualTo(0); // record 0 unfinished: no progress may be committed

    pending.get(0L).complete(Outputs.none());
    loop.runOnce();
    assertThat(committed(P0)).isEqualTo(3);

    pending.get(4L).complete(Outputs.none());
    pending.get(3L).complete(Outputs.none());
    loop.runOnce();
    assertThat(committed(P0)).isEqualTo(5);
  }

  @Test
  void neverExceedsTheInFlightBoundEvenWhenOnePollReturnsMoreAndResumesWhenWorkCompletes() {
    AsyncConsumerLoop loop = loop(2, List.of(ROUTE), List.of(P0));
    for (long o = 0; o < 4; o++) {
      add(P0, o, new RecordHeaders());
    }
    loop.runOnce();
    assertThat(handled)
        .extracting(ConsumerRecord::offset)
        .containsExactly(0L, 1L); // one poll returned 4; 2 fit
    assertThat(consumer.paused()).containsExactly(P0);
    // MockConsumer forgets what it returned; a broker serves again from the position, which must be
    // 2
    add(P0, 2, new RecordHeaders());
    add(P0, 3, new RecordHeaders());
    loop.runOnce();
    assertThat(handled).hasSize(2);

    pending.values().forEach(f -> f.complete(Outputs.none()));
    loop.runOnce();
    loop.runOnce();
    assertThat(handled)
        .extracting(ConsumerRecord::offset)
        .containsExactly(0L, 1L, 2L, 3L); // the rest, in order, nothing lost
    pending.values().forEach(f -> f.complete(Outputs.none()));
    loop.runOnce();
    assertThat(committed(P0)).isEqualTo(4);
  }

  @Test
  void aHeldRouteTakesNoNewWorkUntilReleased() {
    AsyncConsumerLoop loop = loop(100, List.of(ROUTE), List.of(P0));
    AtomicBoolean paused = new AtomicBoolean(true);
    loop.holdWhile(paused::get);
    add(P0, 0, new RecordHeaders());
    loop.runOnce();
    loop.runOnce();
    assertThat(handled).isEmpty();

    paused.set(false);
    loop.runOnce();
    loop.runOnce();
    assertThat(handled).hasSize(1);
  }

  @Test
  void holdsADelayedRecordUntilItIsDueWithoutBlockingOtherPartitions() {
    AsyncConsumerLoop loop = loop(100, List.of(ROUTE, RETRY), List.of(P0, R0));
    RecordHeaders h = new RecordHeaders();
    h.add(
        RetryHeaders.NOT_BEFORE,
        Long.toString(clock.instant().plusSeconds(10).toEpochMilli())
            .getBytes(StandardCharsets.UTF_8));
    add(R0, 0, h);
    add(P0, 0, new RecordHeaders());
    loop.runOnce();
    assertThat(handled).extracting(ConsumerRecord::topic).containsExactly(ROUTE);
    assertThat(consumer.paused()).containsExactly(R0);

    clock.advance(Duration.ofSeconds(11));
    add(R0, 0, h); // the broker re-delivers from the position we sought back to
    loop.runOnce();
    assertThat(consumer.paused()).isEmpty();
    assertThat(handled).extracting(ConsumerRecord::topic).containsExactly(ROUTE, RETRY);
  }

  @Test
  void onRevocationCommitsWhatFinishedAndLeavesTheRestForTheNextOwner() {
    AsyncConsumerLoop loop = loop(100, List.of(ROUTE), List.of(P0));
    for (long o = 0; o < 3; o++) {
      add(P0, o, new RecordHeaders());
    }
    loop.runOnce();
    pending.get(0L).complete(Outputs.none());

    consumer.rebalance(List.of()); // P0 revoked while 1 and 2 are still in flight
    consumer.rebalance(
        List.of(P0)); // (MockConsumer reports committed offsets of assigned partitions only)

    assertThat(committed(P0)).isEqualTo(1);
    pending.get(1L).complete(Outputs.none());
    pending.get(2L).complete(Outputs.none());
    loop.runOnce();
    assertThat(loop.inFlight()).isZero();
  }

  @Test
  void aRevocationCommitsWhatFinishedThenGivesTheHandlerTheDrainTimeoutToStopTheRest() {
    List<String> released = new ArrayList<>();
    AsyncConsumerLoop.RecordHandler handler =
        new AsyncConsumerLoop.RecordHandler() {
          @Override
          public java.util.concurrent.CompletionStage<Outputs> handle(
              ConsumerRecord<byte[], byte[]> r) {
            CompletableFuture<Outputs> f = new CompletableFuture<>();
            pending.put(r.offset(), f);
            return f;
          }

          @Override
          public void released(
              java.util.Collection<TopicPartition> partitions,
              java.util.Set<TopicPartition> stillOwned,
              Duration handover) {
            // what finished was committed before the handler is told to stop the rest
            released.add(partitions + " after offset " + committed(P0) + " within " + handover);
          }
        };
    AsyncConsumerLoop loop =
        new AsyncConsumerLoop(
            consumer,
            producer,
            List.of(ROUTE),
            handler,
            100,
            Duration.ZERO,
            Duration.ofMillis(50),
            Duration.ofMillis(1),
            new PollLoopHealth(clock, Duration.ofMinutes(1)),
            clock);
    loop.subscribe();
    consumer.rebalance(List.of(P0));
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
    add(P0, 0, new RecordHeaders());
    add(P0, 1, new RecordHeaders());
    loop.runOnce();
    pending.get(0L).complete(Outputs.none());

    consumer.rebalance(List.of()); // revoked with record 1 still in flight past the drain
    assertThat(released).containsExactly("[" + P0 + "] after offset 1 within PT0.05S");
    pending.get(1L).complete(Outputs.none()); // finished after the handover: the next owner's
    loop.runOnce();
    assertThat(committed(P0)).isEqualTo(1);
  }

  @Test
  void aCompletionFromBeforeARevocationDoesNotCompleteTheSameOffsetConsumedAgain() {
    AsyncConsumerLoop loop = loop(100, List.of(ROUTE), List.of(P0));
    add(P0, 0, new RecordHeaders());
    loop.runOnce();
    CompletableFuture<Outputs> stale = pending.get(0L);
    consumer.rebalance(List.of());
    consumer.rebalance(List.of(P0));
    consumer.seek(P0, 0);
    add(P0, 0, new RecordHeaders()); // offset 0 consumed again after the partition came back
    loop.runOnce();
    CompletableFuture<Outputs> fresh = pending.get(0L);
    assertThat(fresh).isNotSameAs(stale);

    stale.complete(Outputs.none());
    loop.runOnce();
    assertThat(loop.inFlight()).isEqualTo(1);
    assertThat(committed(P0)).isLessThanOrEqualTo(0);

    fresh.complete(Outputs.none());
    loop.runOnce();
    assertThat(committed(P0)).isEqualTo(1);
  }

  @Test
  void stopsWithoutCommittingPastARecordWhoseHandlerFailed() {
    AsyncConsumerLoop loop = loop(100, List.of(ROUTE), List.of(P0));
    add(P0, 0, new RecordHeaders());
    add(P0, 1, new RecordHeaders());
    loop.runOnce();
    pending.get(0L).completeExceptionally(new IllegalStateException("could not write the result"));
    pending.get(1L).complete(Outputs.none());

    assertThatThrownBy(loop::runOnce).isInstanceOf(IllegalStateException.class);
    assertThat(committed(P0)).isLessThanOrEqualTo(0);
  }

  private static ProducerRecord<byte[], byte[]> result(String taskId) {
    return new ProducerRecord<>(
        "agent.results.v1",
        taskId.getBytes(StandardCharsets.UTF_8),
        taskId.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void writesAnEndingAndTheOffsetsInOneTransactionAndReportsTheCommit() {
    AsyncConsumerLoop loop = loop(100, List.of(ROUTE), List.of(P0));
    add(P0, 0, new RecordHeaders());
    loop.runOnce();
    List<Boolean> told = new ArrayList<>();
    long commitsBefore = producer.commitCount();
    pending.get(0L).complete(Outputs.of(result("t-0"), told::add));
    loop.runOnce();

    assertThat(producer.commitCount()).isEqualTo(commitsBefore + 1); // one transaction for both
    assertThat(producer.history())
        .extracting(ProducerRecord::topic)
        .containsExactly("agent.results.v1");
    assertThat(committed(P0)).isEqualTo(1);
    assertThat(told).containsExactly(true);
  }

  @Test
  void aTransactionWritingForAPartitionCarriesItsOffsetEvenWhenTheOffsetDidNotMove() {
    AsyncConsumerLoop loop = loop(100, List.of(ROUTE), List.of(P0));
    add(P0, 0, new RecordHeaders());
    add(P0, 1, new RecordHeaders());
    loop.runOnce();
    pending.get(1L).complete(Outputs.of(result("t-1"), c -> {})); // record 0 still in flight
    loop.runOnce();

    // the group's generation is checked for P0 although its offset stays at 0: a zombie is fenced
    assertThat(producer.history()).hasSize(1);
    assertThat(committed(P0)).isEqualTo(0);
  }

  @Test
  void aFailedTransactionDropsItsEndingsAndConsumesTheirRecordsAgain() {
    AsyncConsumerLoop loop = loop(100, List.of(ROUTE), List.of(P0));
    add(P0, 0, new RecordHeaders());
    loop.runOnce();
    List<Boolean> told = new ArrayList<>();
    producer.commitTransactionException =
        new org.apache.kafka.clients.consumer.CommitFailedException("generation is stale");
    pending.get(0L).complete(Outputs.of(result("t-0"), told::add));
    loop.runOnce();

    assertThat(producer.history()).isEmpty();
    assertThat(producer.transactionAborted()).isTrue();
    assertThat(told).containsExactly(false);
    assertThat(consumer.position(P0)).isZero(); // rewound to the last committed offset
    assertThat(loop.inFlight()).isZero();

    producer.commitTransactionException = null;
    add(P0, 0, new RecordHeaders());
    loop.runOnce();
    assertThat(handled).hasSize(2); // the record runs again (resuming from its journal)
    pending.get(0L).complete(Outputs.of(result("t-0"), told::add));
    loop.runOnce();
    assertThat(producer.history()).hasSize(1);
    assertThat(told).containsExactly(false, true);
  }

  @Test
  void aFencedProducerStopsTheLoop() {
    AsyncConsumerLoop loop = loop(100, List.of(ROUTE), List.of(P0));
    add(P0, 0, new RecordHeaders());
    loop.runOnce();
    producer.commitTransactionException =
        new org.apache.kafka.common.errors.ProducerFencedException("another instance took the id");
    List<Boolean> told = new ArrayList<>();
    pending.get(0L).complete(Outputs.of(result("t-0"), told::add));

    assertThatThrownBy(loop::runOnce)
        .isInstanceOf(org.apache.kafka.common.errors.ProducerFencedException.class);
    assertThat(told).containsExactly(false);
    assertThat(producer.history()).isEmpty();
  }
}
