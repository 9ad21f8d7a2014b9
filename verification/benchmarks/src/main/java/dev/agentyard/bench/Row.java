package dev.agentyard.bench;

/**
 * One line of the results table.
 *
 * @param figure the figure of the issue it answers (1 passthrough ... 8 micro-benchmarks)
 * @param name what was measured
 * @param setup partitions, instances, record size, load: what makes the figure reproducible
 * @param value the measurement
 * @param unit its unit
 * @param ratio the measurement against {@code comparedTo} (null: not a ratio figure)
 * @param comparedTo what the ratio is taken against
 * @param target the target for the ratio or value, as text (null: none)
 * @param met whether the target is met (null: no target)
 */
public record Row(
    String figure,
    String name,
    String setup,
    double value,
    String unit,
    Double ratio,
    String comparedTo,
    String target,
    Boolean met) {

  static Row plain(String figure, String name, String setup, double value, String unit) {
    return new Row(figure, name, setup, value, unit, null, null, null, null);
  }

  static Row ratio(
      String figure,
      String name,
      String setup,
      double value,
      String unit,
      double of,
      String comparedTo) {
    return new Row(figure, name, setup, value, unit, value / of, comparedTo, null, null);
  }

  /** This row with a target on its ratio: met when the ratio is at least {@code atLeast}. */
  Row ratioAtLeast(double atLeast) {
    return new Row(
        figure,
        name,
        setup,
        value,
        unit,
        ratio,
        comparedTo,
        "ratio >= " + trim(atLeast),
        ratio >= atLeast);
  }

  /** This row with a target on its value: met when the value is at most {@code atMost}. */
  Row valueAtMost(double atMost) {
    return new Row(
        figure,
        name,
        setup,
        value,
        unit,
        ratio,
        comparedTo,
        "<= " + trim(atMost) + " " + unit,
        value <= atMost);
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
