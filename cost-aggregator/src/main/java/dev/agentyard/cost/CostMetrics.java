package dev.agentyard.cost;

import dev.agentyard.runtime.metrics.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Every meter the cost aggregator publishes, in one place. Counters are per process: after a crash
 * the re-processed records count again here, while the topics and stores stay exact (EOS).
 */
final class CostMetrics {

  static final String COST = "agentyard.cost.micro.usd";
  static final String UNCONFIRMED = "agentyard.cost.unconfirmed.micro.usd";
  static final String TOKENS = "agentyard.cost.tokens";
  static final String CALLS = "agentyard.cost.calls";
  static final String DUPLICATES = "agentyard.cost.duplicates";
  static final String LATE = "agentyard.cost.late.events";
  static final String WINDOWS = "agentyard.cost.windows.emitted";
  static final String ALERTS = "agentyard.cost.budget.alerts";

  private final Meters meters;

  CostMetrics(MeterRegistry registry) {
    this.meters = new Meters(registry);
  }

  // Tenants are customers or business units: bounded, and the cost dashboard's third dimension.
  Counter cost(String route, String model, String tenant) {
    return meters.counter(
        COST,
        "Cost of model calls, micro-USD, as billed by the workers",
        "route",
        route,
        "model",
        model,
        "tenant",
        tenant);
  }

  Counter unconfirmed(String route, String model, String tenant) {
    return meters.counter(
        UNCONFIRMED,
        "Worst-case estimate of calls sent whose answer was never recorded (possibly billed), micro-USD",
        "route",
        route,
        "model",
        model,
        "tenant",
        tenant);
  }

  Counter tokens(String route, String model, String kind) {
    return meters.counter(
        TOKENS,
        "Tokens of model calls by kind (input, output, cache_read, cache_write (5-minute), cache_write_1h)",
        "route",
        route,
        "model",
        model,
        "kind",
        kind);
  }

  Counter calls(String route, String model, String outcome) {
    return meters.counter(
        CALLS,
        "Model call attempts by outcome",
        "route",
        route,
        "model",
        model,
        "outcome",
        outcome);
  }

  Counter duplicates() {
    return meters.counter(
        DUPLICATES, "Usage events dropped because their attempt id was already counted");
  }

  Counter late(String dimension, String window) {
    return meters.counter(
        LATE,
        "Usage events that arrived after their window closed (still counted in day/month totals)",
        "dimension",
        dimension,
        "window",
        window);
  }

  Counter windowsEmitted(String window) {
    return meters.counter(WINDOWS, "Final window results emitted", "window", window);
  }

  Counter alerts(String level) {
    return meters.counter(ALERTS, "Budget alerts raised", "level", level);
  }
}
