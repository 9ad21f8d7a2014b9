package dev.agentyard.runtime.kafka;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Creates a service's Kafka clients and the settings of the clients others create for it (Kafka
 * Streams, the registry's serdes). A service's wiring module takes this, not the client classes, so
 * tests can hand it {@code MockProducer} / {@code MockConsumer}.
 */
public interface KafkaClients {

  /** An idempotent producer. */
  <K, V> Producer<K, V> producer(
      String name, Serializer<K> keySerializer, Serializer<V> valueSerializer);

  /**
   * A transactional producer (exactly-once read-process-write); the caller calls {@code
   * initTransactions()}.
   */
  <K, V> Producer<K, V> transactionalProducer(
      String transactionalId, Serializer<K> keySerializer, Serializer<V> valueSerializer);

  /**
   * A consumer in a group, committing offsets itself, reading only committed transactional data.
   */
  <K, V> Consumer<K, V> consumer(
      String groupId, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer);

  /** A producer with settings of its own over the configured ones (e.g. {@code linger.ms}). */
  <K, V> Producer<K, V> producer(
      String name,
      Map<String, Object> overrides,
      Serializer<K> keySerializer,
      Serializer<V> valueSerializer);

  /**
   * A consumer in a group with settings of its own on top (e.g. {@code group.instance.id} for
   * static membership).
   */
  <K, V> Consumer<K, V> consumer(
      String groupId,
      Map<String, Object> overrides,
      Deserializer<K> keyDeserializer,
      Deserializer<V> valueDeserializer);

  Admin admin();

  /**
   * Producer settings (idempotent, acks=all), for producers that need more than {@link #producer}
   * sets (a transaction timeout).
   */
  Map<String, Object> producerConfig(String name);

  /** Consumer settings of a group, for clients built elsewhere (assigned-partition scans). */
  Map<String, Object> consumerConfig(String groupId);

  /** Kafka Streams settings of an application (exactly-once v2). */
  Map<String, Object> streamsConfig(String applicationId);

  /** Serde settings (registry URL and credentials), for {@code configure()} of Avro serdes. */
  Map<String, Object> serdeConfig();
}
