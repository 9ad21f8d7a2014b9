package dev.agentyard.dlq.console;

import java.util.List;
import java.util.Map;

/** What a replay would do (its dry run), with the form that executes exactly that selection. */
public record ReplayPreview(
    Map<String, String> selection,
    int selected,
    List<String> accepted,
    List<String> refused,
    String estimate,
    String auditId) {}
