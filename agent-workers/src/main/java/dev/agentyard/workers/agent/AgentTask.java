package dev.agentyard.workers.agent;

import dev.agentyard.avro.ApprovalGrant;
import java.util.Map;

/**
 * The task an agent works on.
 *
 * @param taskId the task id
 * @param correlationId e.g. the loan application id
 * @param tenant who pays
 * @param route the route it came in on
 * @param documentText the document's text
 * @param metadata the task's metadata
 * @param maxCostMicroUsd the task's own cost limit, if lower than the route's (0 = none)
 * @param maxTokens the task's own token limit (0 = none)
 * @param maxTurns the task's own turn limit (0 = none)
 * @param maxToolCalls the task's own tool-call limit (0 = none)
 * @param spentBeforeMicroUsd what earlier attempts (before a retry) already spent
 * @param approval a reviewer's approval of one irreversible action, or null
 */
public record AgentTask(
    String taskId,
    String correlationId,
    String tenant,
    String route,
    String documentText,
    Map<String, String> metadata,
    long maxCostMicroUsd,
    long maxTokens,
    int maxTurns,
    int maxToolCalls,
    long spentBeforeMicroUsd,
    ApprovalGrant approval) {

  public AgentTask {
    metadata = Map.copyOf(metadata);
  }
}
