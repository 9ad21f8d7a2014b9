package dev.agentyard.dlq.console;

/** One line of the review queue page. */
public record ReviewRow(
    String id,
    String taskId,
    String reason,
    String route,
    String tenant,
    String age,
    boolean late,
    String cost,
    String state) {}
