package dev.agentyard.runtime.pricing;

/**
 * What one model charges, in micro-USD per million tokens of each kind (USD 3.00 per million input
 * tokens is {@code 3_000_000}). Integers, so costs are exact.
 *
 * @param cacheWritePerMTok a cache write with the default (5-minute) lifetime
 * @param cacheWrite1hPerMTok a cache write with a 1-hour lifetime
 */
public record ModelPrice(
    long inputPerMTok,
    long outputPerMTok,
    long cacheReadPerMTok,
    long cacheWritePerMTok,
    long cacheWrite1hPerMTok) {

  public ModelPrice {
    if (inputPerMTok < 0
        || outputPerMTok < 0
        || cacheReadPerMTok < 0
        || cacheWritePerMTok < 0
        || cacheWrite1hPerMTok < 0) {
      throw new IllegalArgumentException("prices cannot be negative");
    }
  }

  /**
   * A price whose 1-hour cache writes cost twice the input price, Anthropic's published rule (a
   * provider without 1-hour writes never bills any).
   */
  public ModelPrice(
      long inputPerMTok, long outputPerMTok, long cacheReadPerMTok, long cacheWritePerMTok) {
    this(
        inputPerMTok,
        outputPerMTok,
        cacheReadPerMTok,
        cacheWritePerMTok,
        Math.multiplyExact(2, inputPerMTok));
  }
}
