package dev.agentyard.cost;

import dev.agentyard.avro.BudgetAlert;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.CostDimension;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.RouteCostWindow;
import dev.agentyard.runtime.deadletter.DeadLetterReason;
import dev.agentyard.runtime.errors.InvalidContentException;
import dev.agentyard.runtime.pricing.BilledTokens;
import dev.agentyard.runtime.pricing.PriceTable;
import dev.agentyard.runtime.streams.DeadLetterExceptionHandler;
import dev.agentyard.schemas.topics.Topics;
import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The cost aggregator's topology, a pure function of its configuration:
 *
 * <pre>
 * agent.usage.v1 ─▶ validate + de-duplicate by attempt id (window store)
 *        ─▶ partial sums per dimension key and minute (PartialSums, forwarded every pre-aggregate interval)
 *        ├─▶ re-key by route        ─▶ windows, day/month totals, route budgets   ─┐
 *        ├─▶ re-key by route|model  ─▶ windows, day/month totals                   ├─▶ agent.cost.route.{1m,1h,1d}.v1
 *        └─▶ re-key by tenant       ─▶ windows, day/month totals, tenant budgets  ─┘   agent.budget.alerts.v1, agent.control.v1
 * </pre>
 *
 * The repartition topics carry partial sums, so they, and the aggregation's store writes, grow with
 * keys per interval rather than with events.
 *
 * <p>Undeserializable and invalid events are dead-lettered by {@link DeadLetterExceptionHandler}.
 */
public final class CostTopology {

  /** The serdes the topology needs; Avro ones are configured by the caller (registry URL). */
  public record Serdes4(
      Serde<ModelUsage> usage,
      Serde<RouteCostWindow> window,
      Serde<BudgetAlert> alert,
      Serde<ControlCommand> control) {}

  private CostTopology() {}

  public static Topology build(CostAggregatorConfig config, Serdes4 serdes, CostMetrics metrics) {
    StreamsBuilder builder = new StreamsBuilder();
    Serde<String> keys = Serdes.String();
    Duration retention = config.dedupRetention();

    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(
                CostStores.DEDUP, retention.multipliedBy(2), retention.multipliedBy(2), false),
            keys,
            Serdes.Long()));
    KStream<String, ModelUsage> unique =
        builder.stream(
                Topics.USAGE.name(),
                Consumed.with(keys, serdes.usage())
                    .withTimestampExtractor(new UsageTimestampExtractor())
                    .withName("usage-source"))
            .process(
                () ->
                    new DedupProcessor(
                        CostStores.DEDUP,
                        retention,
                        new UsageValidator(config.knownRoutes()),
                        metrics.duplicates()),
                Named.as("validate-and-dedup"),
                CostStores.DEDUP);
    if (config.repricing().isPresent()) {
      PriceTable table = config.repricing().get();
      unique = unique.mapValues(u -> reprice(u, table), Named.as("reprice"));
    }

    Duration combine = config.preAggregateInterval();
    if (!combine.isZero()) {
      builder.addStateStore(
          Stores.keyValueStoreBuilder(
                  Stores.inMemoryKeyValueStore(PartialSums.STORE), keys, PartialSums.pendingSerde())
              .withCachingEnabled());
    }
    KStream<String, PartialSums.Partial> partials =
        combine.isZero()
            ? unique.process(
                () -> new PartialSums(combine, config.windows(), metrics), Named.as("partial-sums"))
            : unique.process(
                () -> new PartialSums(combine, config.windows(), metrics),
                Named.as("partial-sums"),
                PartialSums.STORE);
    Serde<CostTotals> partialSerde = PartialSums.repartitionSerde(serdes.usage());

    for (CostDimension d :
        new CostDimension[] {
          CostDimension.ROUTE, CostDimension.ROUTE_MODEL, CostDimension.TENANT
        }) {
      CostStores.Names names = CostStores.names(d);
      builder.addStateStore(
          Stores.keyValueStoreBuilder(
              Stores.persistentKeyValueStore(names.windows()), keys, CostTotals.serde()));
      builder.addStateStore(
          Stores.keyValueStoreBuilder(
              Stores.persistentKeyValueStore(names.periods()), keys, CostTotals.serde()));
      builder.addStateStore(
          Stores.keyValueStoreBuilder(
              Stores.persistentKeyValueStore(names.marks()), keys, Serdes.Long()));
      String dim = d.name().toLowerCase(Locale.ROOT).replace('_', '-');

      KStream<String, CostOutput> out =
          partials
              .filter((k, p) -> p.dimension() == d, Named.as("partials-" + dim))
              .mapValues(PartialSums.Partial::totals, Named.as("totals-" + dim))
              .repartition(
                  Repartitioned.<String, CostTotals>as("by-" + dim)
                      .withKeySerde(keys)
                      .withValueSerde(partialSerde))
              .process(
                  () -> new CostProcessor(d, config, metrics),
                  Named.as("aggregate-" + dim),
                  names.windows(),
                  names.periods(),
                  names.marks());

      out.filter((k, v) -> v instanceof CostOutput.Window, Named.as("windows-" + dim))
          .mapValues(v -> (CostOutput.Window) v)
          .to(
              (k, v, ctx) -> config.windowTopic(v.size()),
              Produced.<String, CostOutput.Window>with(keys, windowSerde(serdes.window()))
                  .withName("emit-windows-" + dim));
      if (d != CostDimension.ROUTE_MODEL && config.repricing().isEmpty()) {
        out.filter((k, v) -> v instanceof CostOutput.Alert, Named.as("alerts-" + dim))
            .mapValues(v -> ((CostOutput.Alert) v).alert(), Named.as("alert-values-" + dim))
            .to(
                Topics.BUDGET_ALERTS.name(),
                Produced.with(keys, serdes.alert()).withName("emit-alerts-" + dim));
        out.filter((k, v) -> v instanceof CostOutput.Control, Named.as("controls-" + dim))
            .mapValues(v -> ((CostOutput.Control) v).command(), Named.as("control-values-" + dim))
            .to(
                Topics.CONTROL.name(),
                Produced.with(keys, serdes.control()).withName("emit-controls-" + dim));
      }
    }
    return builder.build();
  }

  /** The same call at the corrected price; the original event is not touched. */
  static ModelUsage reprice(ModelUsage u, PriceTable table) {
    long cost =
        table
            .cost(
                u.getModel(),
                BilledTokens.ofEvent(
                    u.getInputTokens(),
                    u.getOutputTokens(),
                    u.getCacheReadTokens(),
                    u.getCacheWriteTokens(),
                    u.getCacheWrite1hTokens()),
                u.getServiceTier())
            .orElseThrow(
                () ->
                    new InvalidContentException(
                        DeadLetterReason.INVALID_CONTENT,
                        "price table "
                            + table.version()
                            + " has no price for model '"
                            + u.getModel()
                            + "' at service tier '"
                            + u.getServiceTier()
                            + "'"));
    return ModelUsage.newBuilder(u)
        .setCostMicroUsd(cost)
        .setPriceTableVersion(table.version())
        .build();
  }

  static String dimensionKey(CostDimension d, ModelUsage u) {
    return switch (d) {
      case ROUTE -> u.getRoute();
      case ROUTE_MODEL -> u.getRoute() + "|" + u.getModel();
      default -> u.getTenant();
    };
  }

  /** Writes the RouteCostWindow inside a CostOutput.Window. */
  private static Serde<CostOutput.Window> windowSerde(Serde<RouteCostWindow> inner) {
    return Serdes.serdeFrom(
        (topic, w) -> w == null ? null : inner.serializer().serialize(topic, w.window()),
        (topic, bytes) -> {
          throw new UnsupportedOperationException("write-only serde");
        });
  }
}
