package dev.agentyard.bench.micro;

import dev.agentyard.avro.ModelUsage;
import dev.agentyard.bench.Workload;
import dev.agentyard.cost.CostTotals;
import dev.agentyard.runtime.pricing.PriceTable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Pricing per usage event: the worker prices each call from the price table, the cost aggregator
 * adds each event to its totals (per window, route, model and tenant).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PricingBenchmark {

  private final PriceTable prices = PriceTable.bundled();
  private List<ModelUsage> events;
  private CostTotals totals = CostTotals.EMPTY;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    events = Workload.usage(1024, 7);
  }

  /** The worker side: cost of one call from its tokens. */
  @Benchmark
  public Optional<Long> priceCall() {
    ModelUsage u = events.get(next++ & 1023);
    return prices.cost(
        u.getModel(),
        u.getInputTokens(),
        u.getOutputTokens(),
        u.getCacheReadTokens(),
        u.getCacheWriteTokens());
  }

  /** The aggregator side: add one event to a running total. */
  @Benchmark
  public CostTotals addToTotals() {
    totals = totals.add(events.get(next++ & 1023));
    return totals;
  }
}
