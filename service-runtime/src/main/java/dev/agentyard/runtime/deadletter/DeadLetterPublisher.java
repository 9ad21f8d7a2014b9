package dev.agentyard.runtime.deadletter;

import java.time.Clock;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends records that cannot be processed to their dead-letter topic, built by
 * {@link DeadLetterRecords}: original key, value, headers and partition, plus the reason.
 */
public final class DeadLetterPublisher {

  private final Producer<byte[], byte[]> producer;
  private final DeadLetterRecords records;

  public DeadLetterPublisher(Producer<byte[], byte[]> producer, String service, Clock clock) {
    this.producer = producer;
    this.records = new DeadLetterRecords(service, clock);
  }

  /** Sends the dead letter (inside the producer's transaction, if one is open). */
  public Future<RecordMetadata> publish(ConsumerRecord<byte[], byte[]> failed, Throwable error, DeadLetterContext ctx) {
    return producer.send(records.toDeadLetter(failed, error, ctx));
  }
}
