package dev.agentyard.dlq;

import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;

/**
 * The Kafka clients the console's writing actions need, made per action so tests and tools can swap
 * them.
 */
public interface DlqIo {

  /**
   * A new producer with the console's transactional id, not yet initialised. Initialising it fences
   * (and aborts the open transaction of) any other console action still running, which is what
   * makes "read what was done, then act" safe across processes.
   */
  Producer<byte[], byte[]> transactionalProducer();

  /** A plain idempotent producer, for recording an action that failed after its transaction did. */
  Producer<byte[], byte[]> producer();

  /** The partition count of a topic, or empty when it does not exist. */
  Optional<Integer> partitions(String topic);
}
