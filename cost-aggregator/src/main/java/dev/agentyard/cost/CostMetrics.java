package dev.agentyard.cost;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Every meter the cost aggregator publishes, in one place. Counters are per process: after a crash
 * the re-processed records count again here, while the topics and stores stay exact (EOS).
 */
final class CostMetrics {

  static final String COST = "agentyard_cost_micro_usd";
  static final String TOKENS = "agentyard_cost_tokens";
  static final String CALLS = "agentyard_cost_calls";
  static final String DUPLICATES = "agentyard_cost_duplicates";
  static final String LATE = "agentyard_cost_late_events";
  static final String WINDOWS = "agentyard_cost_windows_emitted";
  static final String ALERTS = "agentyard_cost_budget_alerts";

  private final MeterRegistry registry;
  private final java.util.concurrent.ConcurrentMap<java.util.List<String>, Counter> counters =
      new java.util.concurrent.ConcurrentHashMap<>();

  CostMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  // Called for every usage event: cached so the hot path does not rebuild and re-register meters.
  // Tenants are customers or business units: bounded, and the cost dashboard's third dimension.
  Counter cost(String route, String model, String tenant) {
    return counters.computeIfAbsent(java.util.List.of(COST, route, model, tenant), k ->
        Counter.builder(COST).description("Cost of model calls, micro-USD, as billed by the workers")
            .tags("route", route, "model", model, "tenant", tenant).register(registry));
  }

  Counter tokens(String route, String model, String kind) {
    return counters.computeIfAbsent(java.util.List.of(TOKENS, route, model, kind), k ->
        Counter.builder(TOKENS).description("Tokens of model calls by kind (input, output, cache_read, cache_write)")
            .tags("route", route, "model", model, "kind", kind).register(registry));
  }

  Counter calls(String route, String model, String outcome) {
    return counters.computeIfAbsent(java.util.List.of(CALLS, route, model, outcome), k ->
        Counter.builder(CALLS).description("Model call attempts by outcome")
            .tags("route", route, "model", model, "outcome", outcome).register(registry));
  }

  Counter duplicates() {
    return Counter.builder(DUPLICATES).description("Usage events dropped because their attempt id was already counted")
        .register(registry);
  }

  Counter late(String dimension, String window) {
    return Counter.builder(LATE).description("Usage events that arrived after their window closed (still counted in day/month totals)")
        .tags("dimension", dimension, "window", window).register(registry);
  }

  Counter windowsEmitted(String window) {
    return Counter.builder(WINDOWS).description("Final window results emitted").tags("window", window).register(registry);
  }

  Counter alerts(String level) {
    return Counter.builder(ALERTS).description("Budget alerts raised").tags("level", level).register(registry);
  }
}
