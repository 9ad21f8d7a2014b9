package dev.agentyard.workers.resilience;

import dev.agentyard.avro.ModelTier;

/**
 * A model in a route's chain.
 *
 * @param provider the provider client that serves it, e.g. {@code anthropic}
 * @param model the provider's model name
 * @param contextWindow most input tokens it accepts (decides the context-length fallback)
 * @param tier its tier, reported on results
 */
public record ModelRef(String provider, String model, long contextWindow, ModelTier tier) {

  /** {@code provider:model}: the circuit breaker's name. */
  public String id() {
    return provider + ":" + model;
  }
}
