package dev.agentyard.runtime.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * How a service's meter class (one per service: {@code RouterMetrics}, {@code WorkerMetrics},
 * {@code CostMetrics}, {@code DlqMetrics}) registers its counters: Micrometer dotted names ({@code
 * agentyard.router.tasks.routed}, rendered by Prometheus as {@code
 * agentyard_router_tasks_routed_total}), one meter with a tag where the alternative would be
 * several names, and each counter looked up once per name and tags, so a hot path does not rebuild
 * and re-register it.
 */
public final class Meters {

  private final MeterRegistry registry;
  private final ConcurrentMap<List<String>, Counter> counters = new ConcurrentHashMap<>();

  public Meters(MeterRegistry registry) {
    this.registry = registry;
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * The counter of a name and tags ({@code key, value, key, value, ...}), registered on first use.
   */
  public Counter counter(String name, String description, String... tags) {
    List<String> key = new ArrayList<>(tags.length + 1);
    key.add(name);
    key.addAll(List.of(tags));
    return counters.computeIfAbsent(
        key, k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }
}
