package dev.agentyard.cost.ledger;

import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetLedgerState;
import dev.agentyard.avro.BudgetReply;
import dev.agentyard.avro.BudgetRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies requests and charges to the budgets of its partition ({@link BudgetBook}) and answers the
 * instance that asked; drops expired holds and leases on a wall-clock schedule.
 */
final class LedgerProcessor implements Processor<String, BudgetRequest, String, BudgetReply> {

  private static final Logger log = LoggerFactory.getLogger(LedgerProcessor.class);

  private final String ledgerStore;
  private final String definitionsStore;
  private final Duration expiryCheck;
  private final LedgerGauges gauges;
  private ProcessorContext<String, BudgetReply> context;
  private KeyValueStore<String, BudgetLedgerState> ledger;
  private KeyValueStore<String, BudgetDefinition> definitions;

  LedgerProcessor(
      String ledgerStore, String definitionsStore, Duration expiryCheck, LedgerGauges gauges) {
    this.ledgerStore = ledgerStore;
    this.definitionsStore = definitionsStore;
    this.expiryCheck = expiryCheck;
    this.gauges = gauges;
  }

  @Override
  public void init(ProcessorContext<String, BudgetReply> context) {
    this.context = context;
    this.ledger = context.getStateStore(ledgerStore);
    this.definitions = context.getStateStore(definitionsStore);
    context.schedule(expiryCheck, PunctuationType.WALL_CLOCK_TIME, this::expire);
  }

  @Override
  public void process(Record<String, BudgetRequest> record) {
    BudgetRequest r = record.value();
    if (r == null || record.key() == null || !record.key().equals(r.getBudgetId())) {
      log.warn("Budget request without a matching key skipped (key {})", record.key());
      return;
    }
    BudgetDefinition d = definitions.get(r.getBudgetId());
    BudgetBook.Outcome o = BudgetBook.apply(d, ledger.get(r.getBudgetId()), r, Instant.now());
    if (o.state() != null) {
      ledger.put(r.getBudgetId(), o.state());
      gauges.update(d, o.state());
    }
    if (o.reply() != null) {
      context.forward(
          new Record<>(r.getInstance(), o.reply(), record.timestamp(), record.headers()));
    }
  }

  private void expire(long nowMs) {
    Instant now = Instant.ofEpochMilli(nowMs);
    List<KeyValue<String, BudgetLedgerState>> changed = new ArrayList<>();
    try (KeyValueIterator<String, BudgetLedgerState> it = ledger.all()) {
      while (it.hasNext()) {
        KeyValue<String, BudgetLedgerState> kv = it.next();
        List<String> gone = BudgetBook.expire(kv.value, now);
        if (!gone.isEmpty()) {
          log.warn(
              "Budget {}: {} hold(s) or lease(s) expired without a usage event or renewal: {}"
                  + " (their usage, if any, is charged when it arrives)",
              kv.key,
              gone.size(),
              gone.size() > 5 ? gone.subList(0, 5) + "..." : gone);
          gauges.expired(gone.size());
          changed.add(kv);
        }
        gauges.update(definitions.get(kv.key), kv.value);
      }
    }
    changed.forEach(kv -> ledger.put(kv.key, kv.value));
  }
}
