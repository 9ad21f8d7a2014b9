package dev.agentyard.runtime.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Creates a service's Kafka clients. Services take this, not the client classes, so tests can hand
 * them {@code MockProducer} / {@code MockConsumer}.
 */
public interface KafkaClients {

  /** An idempotent producer. */
  <K, V> Producer<K, V> producer(String name, Serializer<K> keySerializer, Serializer<V> valueSerializer);

  /** A transactional producer (exactly-once read-process-write); the caller calls {@code initTransactions()}. */
  <K, V> Producer<K, V> transactionalProducer(String transactionalId, Serializer<K> keySerializer, Serializer<V> valueSerializer);

  /** A consumer in a group, committing offsets itself, reading only committed transactional data. */
  <K, V> Consumer<K, V> consumer(String groupId, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer);

  Admin admin();
}
