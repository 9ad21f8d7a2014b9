package dev.agentyard.workers.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentyard.avro.ReviewReason;
import dev.agentyard.runtime.deadletter.DeadLetterReason;
import dev.agentyard.workers.provider.ProviderException;

/**
 * How an agent run ended; each maps to exactly one output: a result, a review item, a retry or a
 * dead letter.
 */
public sealed interface AgentOutcome {

  AgentStats stats();

  /** A valid answer. */
  record Completed(JsonNode output, boolean repaired, String schemaVersion, AgentStats stats)
      implements AgentOutcome {}

  /**
   * A human must decide (budget spent, kill switch, irreversible action, refusal, invalid
   * output...). A resumable one keeps its run journal: approving it resumes the run where it
   * stopped instead of starting again (a run stopped at a ledger budget).
   */
  record NeedsReview(
      ReviewReason reason,
      String detail,
      String modelOutput,
      String proposedAction,
      AgentStats stats,
      String refusalCategory,
      boolean resumable)
      implements AgentOutcome {

    public NeedsReview(
        ReviewReason reason,
        String detail,
        String modelOutput,
        String proposedAction,
        AgentStats stats) {
      this(reason, detail, modelOutput, proposedAction, stats, null, false);
    }

    public NeedsReview(
        ReviewReason reason,
        String detail,
        String modelOutput,
        String proposedAction,
        AgentStats stats,
        String refusalCategory) {
      this(reason, detail, modelOutput, proposedAction, stats, refusalCategory, false);
    }
  }

  /** No model could answer now: try again later from a delay topic. */
  record Transient(ProviderException cause, AgentStats stats) implements AgentOutcome {}

  /** Cannot succeed however often it is tried. */
  record Failed(DeadLetterReason reason, Throwable cause, AgentStats stats)
      implements AgentOutcome {}
}
