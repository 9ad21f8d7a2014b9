package dev.agentyard.workers.provider;

import java.util.List;

/**
 * A model's answer, provider-neutral.
 *
 * @param servedModel the model the provider says answered
 * @param content text and tool-use parts, in order
 * @param finish why the model stopped
 * @param usage billed tokens
 * @param httpStatus the HTTP status of the answer
 */
public record ChatResponse(
    String servedModel, List<Part> content, Finish finish, TokenUsage usage, int httpStatus) {

  /** Why the model stopped. */
  public enum Finish {
    END_TURN,
    TOOL_USE,
    MAX_TOKENS,
    REFUSAL
  }

  public ChatResponse {
    content = List.copyOf(content);
  }

  /** All text parts joined. */
  public String text() {
    StringBuilder b = new StringBuilder();
    for (Part p : content) {
      if (p instanceof Part.Text t) {
        b.append(t.text());
      }
    }
    return b.toString();
  }

  public List<Part.ToolUse> toolUses() {
    return content.stream()
        .filter(Part.ToolUse.class::isInstance)
        .map(Part.ToolUse.class::cast)
        .toList();
  }
}
