package dev.agentyard.workers.agent;

import dev.agentyard.workers.resilience.CallAttempt;
import java.util.concurrent.CompletableFuture;

/**
 * Receives every model call an agent made, priced, as it completes (it becomes a ModelUsage event).
 * The future completes when the event is durable; the run journals the call only after that, so a
 * call the journal says ended always has its usage event.
 */
@FunctionalInterface
public interface UsageSink {

  CompletableFuture<Void> record(
      AgentTask task, int turn, CallAttempt call, long costMicroUsd, String priceTableVersion);
}
