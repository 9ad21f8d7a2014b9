package dev.agentyard.cost.ledger;

import dev.agentyard.avro.BudgetDefinition;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps the global store of budget definitions: the latest per budget id, tombstones delete. */
final class DefinitionsUpdater implements Processor<String, BudgetDefinition, Void, Void> {

  private static final Logger log = LoggerFactory.getLogger(DefinitionsUpdater.class);

  private final String storeName;
  private KeyValueStore<String, BudgetDefinition> store;

  DefinitionsUpdater(String storeName) {
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, BudgetDefinition> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() != null && !record.key().equals(record.value().getBudgetId())) {
      log.error(
          "Budget definition keyed {} names budget {}: skipped (the key must be its id)",
          record.key(),
          record.value().getBudgetId());
      return;
    }
    if (record.value() == null) {
      store.delete(record.key());
      log.info("Budget {} deleted", record.key());
    } else {
      store.put(record.key(), record.value());
      log.info(
          "Budget {}: limit {} µUSD, mode {}, at the limit {}",
          record.key(),
          record.value().getLimitMicroUsd(),
          record.value().getMode(),
          record.value().getAtLimit());
    }
  }
}
