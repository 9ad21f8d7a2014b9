package dev.agentyard.cost.ledger;

import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetLedgerState;
import dev.agentyard.avro.BudgetReply;
import dev.agentyard.avro.BudgetRequest;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.cost.DedupProcessor;
import dev.agentyard.cost.UsageTimestampExtractor;
import dev.agentyard.schemas.topics.Topics;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The budget ledger's two topologies, each its own Kafka Streams application.
 *
 * <pre>
 * charges:  agent.usage.v1 ─▶ de-duplicate by attempt id ─▶ one CHARGE per defined budget it falls under ─▶ agent.budget.requests.v1 (keyed by budget)
 * ledger:   agent.budget.requests.v1 (RESERVE, RELEASE, LEASE, RETURN from workers; CHARGE from above) ─▶ ledger (a store per budget) ─▶ agent.budget.replies.v1 (keyed by instance)
 *           agent.budget.definitions.v1 ─▶ global store, in both
 * </pre>
 *
 * Every operation on a budget, the workers' and the charges, arrives on one partition of one topic,
 * so one ledger task applies them in order: the check and the increment are one step of one writer,
 * and the race behind check-then-increment budgets cannot happen. Replies are committed with the
 * state change (EOS v2): a worker never acts on a grant the ledger could lose. The ledger commits
 * every few milliseconds (a grant is visible only then), so it does nothing else: reading every
 * usage event is the charges application's work, at an ordinary commit interval — a 10 ms
 * transaction for each few usage events loaded the broker enough to stall every other transactional
 * writer of the pipeline (measured, figure 10).
 */
public final class LedgerTopology {

  public static final String DEFINITIONS = "budget-definitions";
  public static final String LEDGER = "budget-ledger";
  static final String CHARGED = "budget-charged";

  /** Serdes of the ledger's records; Avro ones configured by the caller. */
  public record Serdes5(
      Serde<BudgetDefinition> definition,
      Serde<BudgetRequest> request,
      Serde<BudgetReply> reply,
      Serde<BudgetLedgerState> state,
      Serde<ModelUsage> usage) {}

  private LedgerTopology() {}

  /**
   * The ledger: requests and charges applied to each budget, answered to the instance that asked.
   *
   * @param expiryCheck how often holds and leases past their expiry are dropped (wall clock)
   */
  public static Topology ledger(Serdes5 serdes, Duration expiryCheck, LedgerGauges gauges) {
    StreamsBuilder builder = new StreamsBuilder();
    Serde<String> keys = Serdes.String();
    definitions(builder, serdes);
    // in memory, restored from its changelog: under exactly-once every commit flushes a RocksDB
    // store's memtable to a new file, and the ledger commits every few milliseconds (measured:
    // reservations waited 2.4 s at p50 behind those flushes at 100 calls a second). Its state is
    // one small record per budget.
    builder.addStateStore(
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(LEDGER), keys, serdes.state()));
    builder.stream(
            Topics.BUDGET_REQUESTS.name(),
            Consumed.with(keys, serdes.request()).withName("requests-source"))
        .process(
            () -> new LedgerProcessor(LEDGER, DEFINITIONS, expiryCheck, gauges),
            Named.as("ledger"),
            LEDGER)
        .to(
            Topics.BUDGET_REPLIES.name(),
            Produced.with(keys, serdes.reply()).withName("replies-sink"));
    return builder.build();
  }

  /**
   * The charges: every usage event, once per attempt id, as a CHARGE to each defined budget it
   * falls under, on the requests topic keyed by budget.
   *
   * @param dedupRetention how long a usage event's attempt id is remembered
   */
  public static Topology charges(Serdes5 serdes, Duration dedupRetention, Counter duplicates) {
    StreamsBuilder builder = new StreamsBuilder();
    Serde<String> keys = Serdes.String();
    definitions(builder, serdes);
    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(
                CHARGED, dedupRetention.multipliedBy(2), dedupRetention.multipliedBy(2), false),
            keys,
            Serdes.Long()));
    builder.stream(
            Topics.USAGE.name(),
            Consumed.with(keys, serdes.usage())
                .withTimestampExtractor(new UsageTimestampExtractor())
                .withName("usage-source"))
        .process(
            () -> new DedupProcessor(CHARGED, dedupRetention, null, duplicates),
            Named.as("dedup-usage"),
            CHARGED)
        .process(() -> new ChargeSplitter(DEFINITIONS), Named.as("charge-per-budget"))
        .to(
            Topics.BUDGET_REQUESTS.name(),
            Produced.with(keys, serdes.request()).withName("charges-sink"));
    return builder.build();
  }

  /** Every budget definition, in a global store (every instance knows every budget). */
  private static void definitions(StreamsBuilder builder, Serdes5 serdes) {
    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(DEFINITIONS), Serdes.String(), serdes.definition())
            .withLoggingDisabled(),
        Topics.BUDGET_DEFINITIONS.name(),
        Consumed.with(Serdes.String(), serdes.definition()).withName("definitions-source"),
        () -> new DefinitionsUpdater(DEFINITIONS));
  }
}
