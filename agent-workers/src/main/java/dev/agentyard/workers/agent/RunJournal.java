package dev.agentyard.workers.agent;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The journal of one agent run: the steps earlier deliveries recorded, and where this delivery
 * records its own. {@link #append} completes once the step is durable (acknowledged by the
 * brokers); the loop waits for it before using the step's effect.
 */
public interface RunJournal {

  /** A run without a journal (evals, tests): nothing to resume, nothing recorded. */
  RunJournal NONE =
      new RunJournal() {
        @Override
        public List<JournalStep> prior() {
          return List.of();
        }

        @Override
        public CompletableFuture<Void> append(JournalStep step) {
          return CompletableFuture.completedFuture(null);
        }
      };

  /** Steps recorded by earlier deliveries of this run, oldest first. */
  List<JournalStep> prior();

  /** Records a step; completes when it is durable. */
  CompletableFuture<Void> append(JournalStep step);
}
