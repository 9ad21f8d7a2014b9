package dev.agentyard.workers.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentyard.workers.provider.ChatResponse;
import dev.agentyard.workers.resilience.CallAttempt;
import dev.agentyard.workers.resilience.ModelRef;
import java.time.Instant;

/**
 * One step of an agent run as its journal records it (ADR 0016), before the step's effect is used:
 * a re-delivered run reads its steps back and resumes, never sending a completed call again nor
 * re-running a completed tool.
 */
public sealed interface JournalStep {

  /** The agent-loop turn the step belongs to, from 1. */
  int turn();

  /**
   * A call is about to be sent (recorded before it is).
   *
   * @param fingerprint the turn's request fingerprint ({@link RequestFingerprint})
   * @param estimateMicroUsd the worst-case cost: estimated input plus the output cap, at the
   *     model's prices
   */
  record CallStarted(
      int turn,
      String fingerprint,
      String attemptId,
      int attempt,
      ModelRef model,
      String requestedModel,
      boolean fallback,
      long estimateMicroUsd,
      Instant at)
      implements JournalStep {}

  /**
   * A call ended (recorded before its usage event is written, with all the event needs, so a
   * resumed run can write it again when the worker died in between).
   *
   * @param response the answer of a call that succeeded (served its turn), null for a failure
   */
  record CallEnded(
      int turn,
      String fingerprint,
      CallAttempt call,
      long costMicroUsd,
      String priceTableVersion,
      ChatResponse response)
      implements JournalStep {}

  /**
   * The run handed its task to a delay topic after a transient failure: every step before this is
   * complete, usage events included.
   */
  record Yielded(int turn, Instant at) implements JournalStep {}

  /**
   * A call started by an earlier delivery whose end was never recorded: written as an UNCONFIRMED
   * usage event with its estimate, once.
   */
  record CallUnconfirmed(int turn, String attemptId, long estimateMicroUsd, Instant at)
      implements JournalStep {}

  /** A tool ran (recorded before its result goes back to the model). */
  record ToolExecuted(
      int turn,
      String toolUseId,
      String tool,
      JsonNode input,
      String output,
      boolean error,
      boolean irreversible,
      String grantId,
      Instant at)
      implements JournalStep {}
}
