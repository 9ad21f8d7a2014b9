package dev.agentyard.workers.provider;

import java.util.List;

/**
 * One model call, provider-neutral.
 *
 * @param model the model to call
 * @param systemPrompt the static system prompt; providers that support it cache it as a prefix
 * @param messages the conversation so far
 * @param tools the tools the model may call
 * @param maxTokens most output tokens
 */
public record ChatRequest(String model, String systemPrompt, List<Message> messages, List<ToolDefinition> tools, int maxTokens) {

  public ChatRequest {
    messages = List.copyOf(messages);
    tools = List.copyOf(tools);
  }

  /** The same request for another model (a fallback). */
  public ChatRequest withModel(String other) {
    return new ChatRequest(other, systemPrompt, messages, tools, maxTokens);
  }

  /** A rough token estimate (4 characters a token) for client-side token rate limiting. */
  public long estimatedInputTokens() {
    long chars = systemPrompt.length();
    for (Message m : messages) {
      for (Part p : m.parts()) {
        chars += switch (p) {
          case Part.Text t -> t.text().length();
          case Part.ToolUse u -> u.name().length() + u.input().toString().length();
          case Part.ToolResult r -> r.content().length();
        };
      }
    }
    for (ToolDefinition t : tools) {
      chars += t.name().length() + t.description().length() + t.inputSchema().toString().length();
    }
    return (chars + 3) / 4;
  }
}
