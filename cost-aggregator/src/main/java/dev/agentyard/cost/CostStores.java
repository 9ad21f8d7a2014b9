package dev.agentyard.cost;

import dev.agentyard.avro.CostDimension;
import java.util.Locale;

/** State store names, one set per dimension; the query API reads the same names. */
final class CostStores {

  /** The stores of one dimension. */
  record Names(String windows, String periods, String marks) {}

  static final String DEDUP = "cost-dedup";

  private CostStores() {}

  static Names names(CostDimension d) {
    String s = d.name().toLowerCase(Locale.ROOT).replace('_', '-');
    return new Names("cost-windows-" + s, "cost-periods-" + s, "cost-marks-" + s);
  }
}
