package dev.agentyard.workers.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds one streamed answer from its server-sent events, in one wire format: at the end, the body
 * the same API would have answered without streaming, so one parser reads both.
 */
interface StreamAccumulator {

  /**
   * One event. Returns true when it carried generated content (for the chunk timing meters).
   *
   * @throws ProviderException an error event inside the stream
   */
  boolean event(String type, JsonNode data);

  /** True when the stream said it is complete (Anthropic {@code message_stop}, OpenAI [DONE]). */
  boolean complete();

  /** The answer as the non-streaming API would have sent it. */
  ObjectNode body();

  /** True when the stream ended without the provider's usage, which {@link #body()} estimates. */
  boolean usageEstimated();

  /**
   * The usage of a stream cut off now: what the provider reported so far, with output the provider
   * had not yet counted estimated from the content received. Null when nothing was billed yet.
   */
  TokenUsage partialUsage(ChatRequest request);
}
