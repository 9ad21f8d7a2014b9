package dev.agentyard.workers.tools;

import java.time.Clock;
import java.util.Map;

/**
 * What a tool may read besides its input: the task's document text and metadata, and the clock.
 *
 * @param documentText the document being processed
 * @param metadata the task's metadata (e.g. {@code applicantName})
 * @param clock today, for expiry checks
 * @param approvalGrantId the reviewer's grant that allows an irreversible tool this turn, or null;
 *     an irreversible tool passes it on as the idempotency key of the action it takes
 */
public record ToolContext(
    String documentText, Map<String, String> metadata, Clock clock, String approvalGrantId) {

  public ToolContext {
    metadata = Map.copyOf(metadata);
  }

  /** A context with no approval. */
  public ToolContext(String documentText, Map<String, String> metadata, Clock clock) {
    this(documentText, metadata, clock, null);
  }
}
