package dev.agentyard.cost;

import dev.agentyard.avro.ModelUsage;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Validates each usage event and forwards only the first event of each attempt id seen within the
 * retention. The store is a window store keyed by attempt id (its changelog makes the memory
 * survive restarts), so an event delivered twice — producer retry, replay — is counted once.
 *
 * <p>Usage events are keyed by task id and an attempt id belongs to one task, so duplicates always
 * meet on the same partition: no repartition is needed before this step.
 */
public final class DedupProcessor implements Processor<String, ModelUsage, String, ModelUsage> {

  private final String storeName;
  private final Duration retention;
  private final UsageValidator validator;
  private final Counter duplicates;
  private ProcessorContext<String, ModelUsage> context;
  private WindowStore<String, Long> seen;

  /**
   * @param validator checks each event first (throwing dead-letters it); null when another
   *     application owns that (the budget ledger reads what the cost aggregator validates)
   */
  public DedupProcessor(
      String storeName, Duration retention, UsageValidator validator, Counter duplicates) {
    this.storeName = storeName;
    this.retention = retention;
    this.validator = validator;
    this.duplicates = duplicates;
  }

  @Override
  public void init(ProcessorContext<String, ModelUsage> context) {
    this.context = context;
    this.seen = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, ModelUsage> record) {
    ModelUsage usage = record.value();
    if (validator != null) {
      validator.validate(usage); // throws: the processing exception handler dead-letters the event
    }
    String attemptId = usage.getAttemptId();
    long ts = record.timestamp();
    long from = ts - retention.toMillis();
    long to = ts + retention.toMillis();
    try (WindowStoreIterator<Long> it = seen.fetch(attemptId, Math.max(0, from), to)) {
      if (it.hasNext()) {
        duplicates.increment();
        return;
      }
    }
    seen.put(attemptId, ts, ts);
    context.forward(record);
  }
}
