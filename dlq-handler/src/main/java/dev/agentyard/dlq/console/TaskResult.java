package dev.agentyard.dlq.console;

/**
 * A result written for a reviewed task, as its item page shows it: what came of the decision.
 *
 * @param grantId the approval grant the run executed its irreversible action under, null for none
 * @param approvedBy who granted it, null for none
 */
public record TaskResult(
    String status,
    String completedAt,
    String route,
    String model,
    String cost,
    String grantId,
    String approvedBy,
    String output) {}
