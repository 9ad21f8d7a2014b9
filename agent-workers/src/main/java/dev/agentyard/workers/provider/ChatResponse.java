package dev.agentyard.workers.provider;

import java.util.List;

/**
 * A model's answer, provider-neutral.
 *
 * @param servedModel the model the provider says answered
 * @param content every part in order: text, tool uses and blocks carried verbatim ({@link
 *     Part.Opaque})
 * @param finish why the model stopped, by what the worker does about it
 * @param usage billed tokens
 * @param httpStatus the HTTP status of the answer
 * @param stopReason the provider's stop reason as sent ({@code end_turn}, {@code length}, ...),
 *     null when it sent none
 * @param providerRequestId the provider's id of the request ({@code request-id}, {@code
 *     x-request-id}), null when it sent none
 * @param serviceTier the tier the call is priced at: the one the provider reports, else the one
 *     requested
 * @param usageEstimated true when the provider never reported the usage and it was estimated
 * @param refusalCategory for a refusal, the provider's category of it when it gave one
 */
public record ChatResponse(
    String servedModel,
    List<Part> content,
    Finish finish,
    TokenUsage usage,
    int httpStatus,
    String stopReason,
    String providerRequestId,
    String serviceTier,
    boolean usageEstimated,
    String refusalCategory) {

  /** Why the model stopped, sorted by what the worker does next. */
  public enum Finish {
    /** A final answer. */
    END_TURN,
    /** The model asks for tools. */
    TOOL_USE,
    /** Cut off at the output budget (an answer or a tool call may be incomplete). */
    MAX_TOKENS,
    /** Declined on content policy. */
    REFUSAL,
    /** A long turn paused by the provider: send the content back as is and call again. */
    PAUSE_TURN,
    /** The model's context window filled while it answered: only a larger window helps. */
    CONTEXT_WINDOW_EXCEEDED
  }

  public ChatResponse {
    content = List.copyOf(content);
  }

  /** An answer with no provider details (tests, journaled answers of older releases). */
  public ChatResponse(
      String servedModel, List<Part> content, Finish finish, TokenUsage usage, int httpStatus) {
    this(servedModel, content, finish, usage, httpStatus, null, null, null, false, null);
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
