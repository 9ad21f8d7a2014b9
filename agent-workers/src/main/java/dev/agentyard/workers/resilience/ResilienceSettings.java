package dev.agentyard.workers.resilience;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The calling policy, as data.
 *
 * @param attemptsPerModel calls to one model in a turn before falling back (1 = no same-model
 *     retry)
 * @param initialBackoff first backoff between same-model attempts (exponential, randomized)
 * @param maxRetryAfter a 429 asking to wait longer than this falls back at once instead of waiting
 * @param breakerFailureRate failure rate in percent that opens a model's breaker
 * @param breakerWindow calls in the breaker's sliding window
 * @param breakerMinimumCalls calls before the failure rate is judged
 * @param breakerOpenFor how long an open breaker rejects calls before letting probes through
 * @param providerLimits requests and estimated input tokens per minute, by provider (absent =
 *     unlimited)
 * @param maxThrottleWait longest a call waits for rate-limit permits before it counts as throttled
 * @param quotaPause how long a provider whose quota or credit ran out is not called
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
    Duration maxThrottleWait,
    Duration quotaPause) {

  public ResilienceSettings {
    providerLimits = Map.copyOf(providerLimits);
  }

  /**
   * A builder with nothing set but no provider limits (the workers' defaults are in their defaults
   * file).
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings, to change some of them. */
  public Builder toBuilder() {
    return new Builder()
        .attemptsPerModel(attemptsPerModel)
        .initialBackoff(initialBackoff)
        .maxRetryAfter(maxRetryAfter)
        .breakerFailureRate(breakerFailureRate)
        .breakerWindow(breakerWindow)
        .breakerMinimumCalls(breakerMinimumCalls)
        .breakerOpenFor(breakerOpenFor)
        .providerLimits(providerLimits)
        .maxThrottleWait(maxThrottleWait)
        .quotaPause(quotaPause);
  }

  /** Builds {@link ResilienceSettings} by name; every duration must be set. */
  public static final class Builder {
    private int attemptsPerModel = 1;
    private Duration initialBackoff;
    private Duration maxRetryAfter;
    private float breakerFailureRate = 50f;
    private int breakerWindow = 1;
    private int breakerMinimumCalls = 1;
    private Duration breakerOpenFor;
    private Map<String, RateLimits> providerLimits = Map.of();
    private Duration maxThrottleWait;
    private Duration quotaPause = Duration.ofMinutes(10);

    private Builder() {}

    public Builder quotaPause(Duration v) {
      quotaPause = v;
      return this;
    }

    public Builder attemptsPerModel(int v) {
      attemptsPerModel = v;
      return this;
    }

    public Builder initialBackoff(Duration v) {
      initialBackoff = v;
      return this;
    }

    public Builder maxRetryAfter(Duration v) {
      maxRetryAfter = v;
      return this;
    }

    public Builder breakerFailureRate(float percent) {
      breakerFailureRate = percent;
      return this;
    }

    public Builder breakerWindow(int calls) {
      breakerWindow = calls;
      return this;
    }

    public Builder breakerMinimumCalls(int calls) {
      breakerMinimumCalls = calls;
      return this;
    }

    public Builder breakerOpenFor(Duration v) {
      breakerOpenFor = v;
      return this;
    }

    public Builder providerLimits(Map<String, RateLimits> v) {
      providerLimits = v;
      return this;
    }

    public Builder maxThrottleWait(Duration v) {
      maxThrottleWait = v;
      return this;
    }

    public ResilienceSettings build() {
      return new ResilienceSettings(
          attemptsPerModel,
          Objects.requireNonNull(initialBackoff, "initialBackoff"),
          Objects.requireNonNull(maxRetryAfter, "maxRetryAfter"),
          breakerFailureRate,
          breakerWindow,
          breakerMinimumCalls,
          Objects.requireNonNull(breakerOpenFor, "breakerOpenFor"),
          providerLimits,
          Objects.requireNonNull(maxThrottleWait, "maxThrottleWait"),
          Objects.requireNonNull(quotaPause, "quotaPause"));
    }
  }

  /** A provider's rate limits; 0 = unlimited. */
  public record RateLimits(int requestsPerMinute, int tokensPerMinute) {}

  RateLimits limits(String provider) {
    return providerLimits.getOrDefault(provider, new RateLimits(0, 0));
  }
}
