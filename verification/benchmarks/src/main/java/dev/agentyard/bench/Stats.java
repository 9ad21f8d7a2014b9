package dev.agentyard.bench;

import java.util.Arrays;

/** Percentiles of a sample (nearest rank). */
public final class Stats {

  private Stats() {}

  /**
   * The {@code p}-th percentile (0 &lt; p &le; 100) of the values, nearest-rank; NaN for no values.
   */
  public static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return Double.NaN;
    }
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }
}
