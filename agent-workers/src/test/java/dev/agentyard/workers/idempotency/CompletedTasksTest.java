package dev.agentyard.workers.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompletedTasksTest {

  @Test
  void aTaskWithAResultIsNeverRunAgainEvenOnReplay() {
    CompletedTasks done = new CompletedTasks(1000);
    done.mark("t-1", CompletedTasks.Kind.RESULT);
    done.mark("t-1", CompletedTasks.Kind.REVIEW); // a later review item does not undo the result
    assertThat(done.shouldSkip("t-1", false)).isTrue();
    assertThat(done.shouldSkip("t-1", true)).isTrue();
    assertThat(done.shouldSkip("t-2", false)).isFalse();
  }

  @Test
  void aReviewedTaskRunsAgainOnlyOnAnOperatorReplay() {
    CompletedTasks done = new CompletedTasks(1000);
    done.mark("t-1", CompletedTasks.Kind.REVIEW);
    assertThat(done.shouldSkip("t-1", false)).isTrue();
    assertThat(done.shouldSkip("t-1", true)).isFalse();
  }

  @Test
  void forgetsTheOldestIdsBeyondItsBound() {
    CompletedTasks done = new CompletedTasks(1000);
    for (int i = 0; i < 1500; i++) {
      done.mark("t-" + i, CompletedTasks.Kind.RESULT);
    }
    assertThat(done.size()).isEqualTo(1000);
    assertThat(done.shouldSkip("t-0", false)).isFalse();
    assertThat(done.shouldSkip("t-1499", false)).isTrue();
  }
}
