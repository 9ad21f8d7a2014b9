package dev.agentyard.workers.provider;

import dev.agentyard.runtime.pricing.BilledTokens;

/**
 * Tokens a provider billed for one call. {@code input} excludes cache reads and writes, whatever
 * the provider's own convention (OpenAI's {@code prompt_tokens} includes cached tokens; they are
 * subtracted here so one price table applies to both). {@code cacheWrite} counts writes of every
 * cache lifetime, {@code cacheWrite1h} the 1-hour ones among them (priced apart).
 */
public record TokenUsage(
    long input, long output, long cacheRead, long cacheWrite, long cacheWrite1h) {

  public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0);

  public TokenUsage {
    if (cacheWrite1h > cacheWrite) {
      throw new IllegalArgumentException("1-hour cache writes are a part of all cache writes");
    }
  }

  /** Usage without 1-hour cache writes. */
  public TokenUsage(long input, long output, long cacheRead, long cacheWrite) {
    this(input, output, cacheRead, cacheWrite, 0);
  }

  public long total() {
    return input + output + cacheRead + cacheWrite;
  }

  public TokenUsage plus(TokenUsage o) {
    return new TokenUsage(
        input + o.input,
        output + o.output,
        cacheRead + o.cacheRead,
        cacheWrite + o.cacheWrite,
        cacheWrite1h + o.cacheWrite1h);
  }

  /** The tokens by the kind that sets their price. */
  public BilledTokens billed() {
    return new BilledTokens(input, output, cacheRead, cacheWrite - cacheWrite1h, cacheWrite1h);
  }
}
