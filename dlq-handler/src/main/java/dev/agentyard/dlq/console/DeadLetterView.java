package dev.agentyard.dlq.console;

import java.util.List;
import java.util.Map;

/**
 * The dead-letter page: the selection (as the form holds it), what it counts by reason, route and
 * hour, the letters themselves, and whether this user may replay and park.
 */
public record DeadLetterView(
    Map<String, String> selection,
    int total,
    String spent,
    Map<String, Integer> byReason,
    Map<String, Integer> byRoute,
    Map<String, Integer> byHour,
    List<DeadLetterRow> rows,
    boolean operator) {}
