package dev.agentyard.workers.provider;

import java.util.List;

/**
 * One model call, provider-neutral.
 *
 * @param model the model to call
 * @param systemPrompt the static system prompt; providers that support it cache it as a prefix
 * @param messages the conversation so far
 * @param tools the tools the model may call
 * @param maxTokens most output tokens (thinking included)
 * @param requestId this attempt's id, sent as {@value #REQUEST_ID_HEADER} so the provider's records
 *     and our usage event name the same call (null before an attempt is made)
 * @param options the route's per-call options (cache lifetime, thinking, service tier)
 */
public record ChatRequest(
    String model,
    String systemPrompt,
    List<Message> messages,
    List<ToolDefinition> tools,
    int maxTokens,
    String requestId,
    CallOptions options) {

  /**
   * The header carrying {@link #requestId()}: OpenAI's name for a client-chosen request id; other
   * providers ignore it.
   */
  public static final String REQUEST_ID_HEADER = "X-Client-Request-Id";

  public ChatRequest {
    messages = List.copyOf(messages);
    tools = List.copyOf(tools);
    options = options == null ? CallOptions.DEFAULT : options;
  }

  /** A turn's request with default options, before any attempt. */
  public ChatRequest(
      String model,
      String systemPrompt,
      List<Message> messages,
      List<ToolDefinition> tools,
      int maxTokens) {
    this(model, systemPrompt, messages, tools, maxTokens, null, CallOptions.DEFAULT);
  }

  /** The request one attempt sends: to {@code other}, under its own id. */
  public ChatRequest forAttempt(String other, String attemptId) {
    return new ChatRequest(other, systemPrompt, messages, tools, maxTokens, attemptId, options);
  }

  /** The same request with another output budget. */
  public ChatRequest withMaxTokens(int tokens) {
    return new ChatRequest(model, systemPrompt, messages, tools, tokens, requestId, options);
  }

  /** A rough token estimate (4 characters a token) for client-side token rate limiting. */
  public long estimatedInputTokens() {
    long chars = systemPrompt.length();
    for (Message m : messages) {
      for (Part p : m.parts()) {
        chars +=
            switch (p) {
              case Part.Text t -> t.text().length();
              case Part.ToolUse u -> u.name().length() + u.input().toString().length();
              case Part.ToolResult r -> r.content().length();
              case Part.Opaque o -> o.block().toString().length();
            };
      }
    }
    for (ToolDefinition t : tools) {
      chars += t.name().length() + t.description().length() + t.inputSchema().toString().length();
    }
    return (chars + 3) / 4;
  }
}
