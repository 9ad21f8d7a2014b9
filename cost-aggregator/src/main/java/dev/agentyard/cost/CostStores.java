package dev.agentyard.cost;

import dev.agentyard.avro.CostDimension;
import java.util.Locale;

/** State store names, one set per dimension; the query API reads the same names. */
final class CostStores {

  /** The stores of one dimension. */
  record Names(String windows, String periods, String marks) {}

  static final String DEDUP = "cost-dedup";

  private CostStores() {}

  /** A parsed window-store key: {@code W|<size label>|<start, 15 digits>|<dimension key>}. */
  record WindowKey(String label, long start, String dimKey) {
    static final String PREFIX = "W|";

    static WindowKey parse(String key) {
      String[] parts = key.split("\\|", 4);
      return new WindowKey(parts[1], Long.parseLong(parts[2]), parts[3]);
    }

    static String prefix(String label) {
      return PREFIX + label + "|";
    }

    @Override
    public String toString() {
      return prefix(label) + String.format("%015d", start) + "|" + dimKey;
    }
  }

  /**
   * Route and model of a route+model dimension key ({@code route|model}; route names have no '|').
   */
  static String[] routeAndModel(String dimKey) {
    int bar = dimKey.indexOf('|');
    return new String[] {dimKey.substring(0, bar), dimKey.substring(bar + 1)};
  }

  static Names names(CostDimension d) {
    String s = d.name().toLowerCase(Locale.ROOT).replace('_', '-');
    return new Names("cost-windows-" + s, "cost-periods-" + s, "cost-marks-" + s);
  }
}
