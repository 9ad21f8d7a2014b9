package dev.agentyard.workers.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  private static final TopicPartition P0 = new TopicPartition("agent.route.income.v1", 0);
  private static final TopicPartition P1 = new TopicPartition("agent.route.income.v1", 1);

  @Test
  void commitsOnlyUpToTheFirstRecordStillInFlight() {
    OffsetTracker t = new OffsetTracker();
    for (long o = 10; o < 15; o++) {
      t.started(P0, o);
    }
    t.completed(P0, 12);
    t.completed(P0, 14);
    assertThat(t.committable(P0))
        .hasValue(10); // 10 is unfinished: nothing past it may be committed

    t.completed(P0, 10);
    t.completed(P0, 11);
    assertThat(t.committable(P0)).hasValue(13);

    t.completed(P0, 13);
    assertThat(t.committable(P0)).hasValue(15);
    assertThat(t.inFlight(P0)).isZero();
  }

  @Test
  void takesEachMovedPositionOnce() {
    OffsetTracker t = new OffsetTracker();
    t.started(P0, 0);
    t.started(P1, 7);
    t.completed(P0, 0);
    assertThat(t.takeCommits())
        .containsOnly(
            Assertions.entry(P0, new OffsetAndMetadata(1)),
            Assertions.entry(P1, new OffsetAndMetadata(7)));
    assertThat(t.takeCommits()).isEmpty();
    t.completed(P1, 7);
    assertThat(t.takeCommits()).containsOnly(Assertions.entry(P1, new OffsetAndMetadata(8)));
  }

  @Test
  void ignoresCompletionsOfARevokedPartition() {
    OffsetTracker t = new OffsetTracker();
    t.started(P0, 3);
    t.forget(P0);
    t.completed(P0, 3);
    assertThat(t.committable(P0)).isEmpty();
    assertThat(t.inFlight()).isZero();
  }

  @Test
  void refusesOffsetsStartedOutOfOrder() {
    OffsetTracker t = new OffsetTracker();
    t.started(P0, 5);
    assertThatThrownBy(() -> t.started(P0, 5)).isInstanceOf(IllegalStateException.class);
  }
}
