package dev.agentyard.dlq.console;

/** One audited action. */
public record AuditRow(
    String at, String actor, String action, String outcome, String why, String detail) {}
