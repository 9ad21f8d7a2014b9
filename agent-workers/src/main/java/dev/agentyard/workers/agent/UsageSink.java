package dev.agentyard.workers.agent;

import dev.agentyard.workers.resilience.CallAttempt;

/**
 * Receives every model call an agent made, priced, as it completes (it becomes a ModelUsage event).
 */
@FunctionalInterface
public interface UsageSink {

  void record(
      AgentTask task, int turn, CallAttempt call, long costMicroUsd, String priceTableVersion);
}
