package dev.agentyard.workers.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompletedTasksTest {

  @Test
  void aTaskWithAResultIsNeverRunAgainEvenOnReplay() {
    CompletedTasks done = new CompletedTasks(1000);
    done.mark("income", "t-1", CompletedTasks.Kind.RESULT);
    done.mark(
        "income",
        "t-1",
        CompletedTasks.Kind.REVIEW); // a later review item does not undo the result
    assertThat(done.shouldSkip("income", "t-1", false)).isTrue();
    assertThat(done.shouldSkip("income", "t-1", true)).isTrue();
    assertThat(done.shouldSkip("income", "t-2", false)).isFalse();
  }

  @Test
  void aReviewedTaskRunsAgainOnlyOnAnOperatorReplay() {
    CompletedTasks done = new CompletedTasks(1000);
    done.mark("income", "t-1", CompletedTasks.Kind.REVIEW);
    assertThat(done.shouldSkip("income", "t-1", false)).isTrue();
    assertThat(done.shouldSkip("income", "t-1", true)).isFalse();
  }

  @Test
  void forgetsTheOldestIdsBeyondItsBound() {
    CompletedTasks done = new CompletedTasks(1000);
    for (int i = 0; i < 1500; i++) {
      done.mark("income", "t-" + i, CompletedTasks.Kind.RESULT);
    }
    assertThat(done.size()).isEqualTo(1000);
    assertThat(done.shouldSkip("income", "t-0", false)).isFalse();
    assertThat(done.shouldSkip("income", "t-1499", false)).isTrue();
  }

  @Test
  void theSameTaskOnAnotherRouteIsNotSkipped() {
    // a fan-out copy (income + fraud) and a task triage re-routed are the same task id on two
    // routes
    CompletedTasks done = new CompletedTasks(1000);
    done.mark("triage", "t-1", CompletedTasks.Kind.RESULT);
    done.mark("fraud", "t-2", CompletedTasks.Kind.RESULT);
    assertThat(done.shouldSkip("income", "t-1", false)).isFalse();
    assertThat(done.shouldSkip("income", "t-2", false)).isFalse();
    assertThat(done.shouldSkip("fraud", "t-2", false)).isTrue();
  }

  @Test
  void aDeliveryOlderThanTheCopyOnADelayTopicIsSkippedAndTheCopyRuns() {
    CompletedTasks done = new CompletedTasks(1_000);
    done.markRetried("income", "t-1", 1);
    assertThat(done.shouldSkip("income", "t-1", false, 0)).isTrue(); // the route record again
    assertThat(done.shouldSkip("income", "t-1", false, 1)).isFalse(); // the retry copy
    done.markRetried("income", "t-1", 2);
    done.markRetried("income", "t-1", 1); // seen late: the further retry counts
    assertThat(done.shouldSkip("income", "t-1", false, 1)).isTrue();
    assertThat(done.shouldSkip("income", "t-1", false, 2)).isFalse();
    assertThat(done.shouldSkip("income", "t-1", true, 0)).isFalse(); // an operator's replay
    assertThat(done.shouldSkip("banking", "t-1", false, 0)).isFalse(); // another route
  }

  @Test
  void aRetrySeenAfterTheChainEndedDoesNotReopenIt() {
    CompletedTasks done = new CompletedTasks(1_000);
    done.mark("income", "t-1", CompletedTasks.Kind.DEAD_LETTER);
    done.markRetried("income", "t-1", 2);
    assertThat(done.shouldSkip("income", "t-1", false, 2)).isTrue();
    done.mark("income", "t-2", CompletedTasks.Kind.RESULT);
    done.markRetried("income", "t-2", 1);
    assertThat(done.shouldSkip("income", "t-2", true, 1)).isTrue();
  }
}
