package dev.agentyard.workers.tools;

import java.time.Clock;
import java.util.Map;

/**
 * What a tool may read besides its input: the task's document text and metadata, and the clock.
 *
 * @param documentText the document being processed
 * @param metadata the task's metadata (e.g. {@code applicantName})
 * @param clock today, for expiry checks
 */
public record ToolContext(String documentText, Map<String, String> metadata, Clock clock) {

  public ToolContext {
    metadata = Map.copyOf(metadata);
  }
}
