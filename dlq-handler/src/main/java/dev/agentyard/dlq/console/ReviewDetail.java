package dev.agentyard.dlq.console;

import java.util.List;
import java.util.Map;

/**
 * A review item's page: the facts, the proposal in plain words and as arguments, the model's words,
 * the document's text (and its file, when the task carried one: {@code documentFile} names its type
 * and size), whether (and by whom) it can be decided now, and once decided, the task's results.
 */
public record ReviewDetail(
    String id,
    String taskId,
    String tenant,
    String route,
    String reason,
    String detail,
    String raisedAt,
    String age,
    boolean late,
    String cost,
    String traceId,
    String traceLink,
    String state,
    boolean open,
    String proposal,
    String proposalInWords,
    Map<String, String> arguments,
    String modelOutput,
    String document,
    String documentNote,
    String documentFile,
    String claimText,
    boolean heldByOther,
    List<TaskResult> results) {}
