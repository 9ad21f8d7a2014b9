package dev.agentyard.workers.provider;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One part of a message, provider-neutral: text, a tool call the model makes, or a tool's result.
 */
public sealed interface Part {

  /** Plain text. */
  record Text(String text) implements Part {}

  /** The model asks to run a tool with the given input. */
  record ToolUse(String id, String name, JsonNode input) implements Part {}

  /**
   * What a tool returned (or why it failed, with {@code error} set), answering the tool use {@code
   * toolUseId}.
   */
  record ToolResult(String toolUseId, String content, boolean error) implements Part {}
}
