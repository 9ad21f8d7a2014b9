package dev.agentyard.simulator;

import java.time.Duration;
import java.util.Map;

/**
 * How one simulated model behaves.
 *
 * @param latency base latency of a call
 * @param jitter uniform jitter added or subtracted
 * @param contextWindow most input tokens it accepts; beyond, a context-length error
 * @param faultRates probability of each random fault per call, in [0, 1]
 * @param retryAfter what a 429 asks the client to wait
 * @param timeoutDelay how long a TIMEOUT call hangs before the server gives up on it
 * @param cacheMinTokens the shortest prefix the model caches (its provider's minimum cacheable
 *     prompt length)
 */
public record ModelBehaviour(
    Duration latency,
    Duration jitter,
    long contextWindow,
    Map<FaultKind, Double> faultRates,
    Duration retryAfter,
    Duration timeoutDelay,
    long cacheMinTokens) {

  public ModelBehaviour {
    faultRates = Map.copyOf(faultRates);
    double total = faultRates.values().stream().mapToDouble(Double::doubleValue).sum();
    if (faultRates.values().stream().anyMatch(r -> r < 0) || total > 1.0) {
      throw new IllegalArgumentException("fault rates must be >= 0 and add up to at most 1");
    }
  }
}
