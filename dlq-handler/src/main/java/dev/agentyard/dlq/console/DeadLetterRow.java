package dev.agentyard.dlq.console;

/** One dead letter in the console's list. */
public record DeadLetterRow(
    String coordinates,
    String link,
    String at,
    String reason,
    String route,
    String taskId,
    String errorClass,
    String spent) {}
