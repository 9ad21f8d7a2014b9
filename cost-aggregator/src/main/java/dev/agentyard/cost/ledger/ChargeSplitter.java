package dev.agentyard.cost.ledger;

import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetOp;
import dev.agentyard.avro.BudgetRequest;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.runtime.budget.BudgetIds;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One CHARGE per defined budget a usage event falls under (its tenant's, its route's, the pair's;
 * per day and per month), keyed by budget id; events under no budget are dropped here.
 */
final class ChargeSplitter implements Processor<String, ModelUsage, String, BudgetRequest> {

  private final String definitionsStore;
  private ProcessorContext<String, BudgetRequest> context;
  private KeyValueStore<String, BudgetDefinition> definitions;

  ChargeSplitter(String definitionsStore) {
    this.definitionsStore = definitionsStore;
  }

  @Override
  public void init(ProcessorContext<String, BudgetRequest> context) {
    this.context = context;
    this.definitions = context.getStateStore(definitionsStore);
  }

  @Override
  public void process(Record<String, ModelUsage> record) {
    ModelUsage u = record.value();
    if (u == null || u.getCostMicroUsd() < 0) {
      return; // the cost aggregator dead-letters an invalid event
    }
    for (String budgetId : BudgetIds.candidates(u.getTenant(), u.getRoute())) {
      if (definitions.get(budgetId) == null) {
        continue;
      }
      context.forward(
          record
              .withKey(budgetId)
              .withValue(
                  BudgetRequest.newBuilder()
                      .setRequestId(u.getAttemptId() + "@" + budgetId)
                      .setBudgetId(budgetId)
                      .setOp(BudgetOp.CHARGE)
                      .setHoldId(u.getAttemptId())
                      .setInstance("ledger")
                      .setAmountMicroUsd(u.getCostMicroUsd())
                      .setLeases(u.getLedgerLeases())
                      .setSentAt(u.getCompletedAt())
                      .build()));
    }
  }
}
