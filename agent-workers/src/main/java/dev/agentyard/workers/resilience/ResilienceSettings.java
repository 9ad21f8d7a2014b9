package dev.agentyard.workers.resilience;

import java.time.Duration;
import java.util.Map;

/**
 * The calling policy, as data.
 *
 * @param attemptsPerModel calls to one model in a turn before falling back (1 = no same-model retry)
 * @param initialBackoff first backoff between same-model attempts (exponential, randomized)
 * @param maxRetryAfter a 429 asking to wait longer than this falls back at once instead of waiting
 * @param breakerFailureRate failure rate in percent that opens a model's breaker
 * @param breakerWindow calls in the breaker's sliding window
 * @param breakerMinimumCalls calls before the failure rate is judged
 * @param breakerOpenFor how long an open breaker rejects calls before letting probes through
 * @param providerLimits requests and estimated input tokens per minute, by provider (absent = unlimited)
 * @param maxThrottleWait longest a call waits for rate-limit permits before it counts as throttled
 */
public record ResilienceSettings(
    int attemptsPerModel,
    Duration initialBackoff,
    Duration maxRetryAfter,
    float breakerFailureRate,
    int breakerWindow,
    int breakerMinimumCalls,
    Duration breakerOpenFor,
    Map<String, RateLimits> providerLimits,
    Duration maxThrottleWait) {

  public static final ResilienceSettings DEFAULTS = new ResilienceSettings(
      2, Duration.ofMillis(250), Duration.ofSeconds(5), 50f, 20, 10, Duration.ofSeconds(30), Map.of(), Duration.ofSeconds(5));

  public ResilienceSettings {
    providerLimits = Map.copyOf(providerLimits);
  }

  /** A provider's rate limits; 0 = unlimited. */
  public record RateLimits(int requestsPerMinute, int tokensPerMinute) {}

  RateLimits limits(String provider) {
    return providerLimits.getOrDefault(provider, new RateLimits(0, 0));
  }
}
