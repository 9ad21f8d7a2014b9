package dev.agentyard.runtime.pricing;

/**
 * What one model charges, in micro-USD per million tokens of each kind (USD 3.00 per million input
 * tokens is {@code 3_000_000}). Integers, so costs are exact.
 */
public record ModelPrice(
    long inputPerMTok, long outputPerMTok, long cacheReadPerMTok, long cacheWritePerMTok) {

  public ModelPrice {
    if (inputPerMTok < 0 || outputPerMTok < 0 || cacheReadPerMTok < 0 || cacheWritePerMTok < 0) {
      throw new IllegalArgumentException("prices cannot be negative");
    }
  }
}
