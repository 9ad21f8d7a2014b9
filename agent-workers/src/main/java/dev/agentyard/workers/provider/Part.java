package dev.agentyard.workers.provider;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One part of a message, provider-neutral: text, a tool call the model makes, a tool's result, or a
 * block of one wire format the agent does not act on but must send back as it came.
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

  /**
   * A block the agent carries without reading it: Anthropic's {@code thinking} (with its {@code
   * signature}), {@code redacted_thinking} and any block type this client does not know. The API
   * requires them back unchanged in the next turn of a tool loop; only a client of the same wire
   * format sends them, every other drops them.
   *
   * @param format the wire format it came in, e.g. {@code anthropic}
   * @param block the block exactly as received
   */
  record Opaque(String format, JsonNode block) implements Part {}
}
