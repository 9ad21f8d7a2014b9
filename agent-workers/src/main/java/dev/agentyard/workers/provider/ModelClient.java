package dev.agentyard.workers.provider;

import java.util.concurrent.CompletableFuture;

/**
 * Calls one provider's chat API asynchronously. Makes exactly one HTTP call per invocation: no
 * retries of its own, so the worker's policy (breaker, fallback, delay topics) is the only one.
 * Fails with {@link ProviderException}.
 */
public interface ModelClient {

  /** The provider's name as it appears in usage events and metrics, e.g. {@code anthropic}. */
  String provider();

  CompletableFuture<ChatResponse> chat(ChatRequest request);
}
