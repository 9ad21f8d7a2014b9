package dev.agentyard.evals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What one run of one case did, before scoring.
 *
 * @param caseId the case
 * @param run 1..N
 * @param routing where the router sent the document: a route name, {@code none} (no specialist:
 *     human review), {@code review:<REASON>} or {@code rejected:<KIND>}; null for behaviour cases
 * @param routedBy {@code classifier}, {@code triage} or empty when the router did not route it
 * @param screenRules the injection screen's findings (rule names), empty when it found nothing
 * @param outcome behaviour cases: {@code completed}, {@code review:<REASON>}, {@code retry} (no
 *     model could answer now), {@code dead-letter:<REASON>} or {@code rejected:<KIND>}; null
 *     otherwise
 * @param stopReason the agent's stop reason, or null
 * @param answer the agent's final answer text (or the text a reviewer gets), or null
 * @param answerJson the answer as JSON when it is JSON, else null
 * @param toolsExecuted tools the agent ran, in order
 * @param toolsRequested every tool the agent asked for, executed or not, in order
 * @param hallucinatedTools tool calls outside the route's allowlist
 * @param tokens tokens billed over every model call of the run (triage and agent)
 * @param costMicroUsd their cost
 * @param modelCalls model calls sent
 * @param model the last model that answered ({@code provider:model}), or empty
 * @param latencyMs wall time of the run
 * @param error an unexpected failure of the harness or the run, else null
 */
public record Observation(
    String caseId,
    int run,
    String routing,
    String routedBy,
    List<String> screenRules,
    String outcome,
    String stopReason,
    String answer,
    JsonNode answerJson,
    List<String> toolsExecuted,
    List<String> toolsRequested,
    int hallucinatedTools,
    long tokens,
    long costMicroUsd,
    int modelCalls,
    String model,
    long latencyMs,
    String error) {

  public Observation {
    screenRules = List.copyOf(screenRules);
    toolsExecuted = List.copyOf(toolsExecuted);
    toolsRequested = List.copyOf(toolsRequested);
  }

  /** Whether the injection screen flagged the document. */
  public boolean flagged() {
    return !screenRules.isEmpty();
  }
}
