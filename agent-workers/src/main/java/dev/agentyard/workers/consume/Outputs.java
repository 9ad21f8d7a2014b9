package dev.agentyard.workers.consume;

import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What handling one record produced: the records that end it (result, review item, retry, dead
 * letter), written by the consumer loop in one transaction with the offsets, and what to do once
 * that transaction committed ({@code true}) or was aborted ({@code false}: the record will be
 * consumed again, by this instance or the partition's next owner).
 */
public record Outputs(List<ProducerRecord<byte[], byte[]>> records, Consumer<Boolean> onCommit) {

  public Outputs {
    records = List.copyOf(records);
  }

  /** Nothing to write (e.g. a duplicate that was skipped). */
  public static Outputs none() {
    return new Outputs(List.of(), committed -> {});
  }

  /** One record to write, with what to do after its transaction. */
  public static Outputs of(ProducerRecord<byte[], byte[]> record, Consumer<Boolean> onCommit) {
    return new Outputs(List.of(record), onCommit);
  }
}
