package dev.agentyard.runtime.pricing;

/**
 * The tokens one call was billed for, by the kind that sets their price. {@code input} excludes
 * cache reads and writes.
 *
 * @param cacheWrite5m cache writes with the default (5-minute) lifetime
 * @param cacheWrite1h cache writes with a 1-hour lifetime
 */
public record BilledTokens(
    long input, long output, long cacheRead, long cacheWrite5m, long cacheWrite1h) {

  public BilledTokens {
    if (input < 0 || output < 0 || cacheRead < 0 || cacheWrite5m < 0 || cacheWrite1h < 0) {
      throw new IllegalArgumentException("token counts cannot be negative");
    }
  }

  /**
   * From a usage event's fields, where {@code cacheWriteTotal} counts writes of both lifetimes and
   * {@code cacheWrite1h} the 1-hour ones among them.
   */
  public static BilledTokens ofEvent(
      long input, long output, long cacheRead, long cacheWriteTotal, long cacheWrite1h) {
    long oneHour = Math.min(cacheWrite1h, cacheWriteTotal);
    return new BilledTokens(input, output, cacheRead, cacheWriteTotal - oneHour, oneHour);
  }

  /**
   * Every token of the prompt: what providers compare with a long-context threshold (cache reads
   * and writes count).
   */
  public long promptTokens() {
    return input + cacheRead + cacheWrite5m + cacheWrite1h;
  }
}
