package dev.agentyard.dlq.console;

import java.util.List;

/** The review queue page's filters as the user set them, and the choices they have. */
public record ReviewFilter(
    String state,
    String reason,
    String route,
    String tenant,
    String olderThanHours,
    List<String> reasons,
    String ageTarget) {}
