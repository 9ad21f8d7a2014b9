package dev.agentyard.runtime.kafka;

import dev.agentyard.schemas.topics.TopicSpec;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Real Kafka clients with production defaults. Anything set under {@code kafka.producer.*} etc.
 * overrides a default; {@code kafka.common.*} goes to every client.
 */
public final class DefaultKafkaClients implements KafkaClients {

  private final KafkaSettings settings;

  public DefaultKafkaClients(KafkaSettings settings) {
    this.settings = settings;
  }

  private Map<String, Object> base(String clientIdSuffix) {
    Map<String, Object> c = new HashMap<>(settings.common());
    c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    c.put(CommonClientConfigs.CLIENT_ID_CONFIG, settings.clientId() + "-" + clientIdSuffix);
    return c;
  }

  /** Producer settings: defaults, then common, then {@code kafka.producer.*}. */
  @Override
  public Map<String, Object> producerConfig(String name) {
    Map<String, Object> c = new HashMap<>();
    // Wait for every in-sync replica: a task acknowledged to upstream must survive a broker loss.
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    // Retries never duplicate or reorder records within a partition.
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // The most in-flight batches idempotence still keeps in order.
    c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    // Documents and prompts are text: lz4 shrinks them well at little CPU.
    c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    // A few ms of batching buys throughput without visible latency next to a model call.
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // Give up on a record only after two minutes of retries (surfaced as a send error, never
    // silent).
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    // Tasks, routed tasks and review items can carry a whole document (see TopicSpec).
    c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.DOCUMENT_MAX_MESSAGE_BYTES);
    // A transaction begun right after a commit is answered CONCURRENT_TRANSACTIONS while the broker
    // still writes the last one's markers; retried after 100 ms by default, that stalled every
    // short commit interval (ADR 0025). Still exponential, up to retry.backoff.max.ms (1 s).
    c.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, RETRY_BACKOFF_MS);
    c.putAll(base(name));
    c.putAll(settings.producer());
    return c;
  }

  /** First retry backoff of every producer (Kafka's default 100 ms; ADR 0025). */
  static final int RETRY_BACKOFF_MS = 10;

  static final int SESSION_TIMEOUT_MS = 6_000;
  static final int HEARTBEAT_INTERVAL_MS = 1_500;

  /** Consumer settings: defaults, then common, then {@code kafka.consumer.*}. */
  @Override
  public Map<String, Object> consumerConfig(String groupId) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    // Offsets are committed after the work is done (or inside the output transaction), never on a
    // timer.
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A new group starts at the beginning: tasks published before it first ran are not skipped.
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Never see records of aborted transactions (the router and replays write transactionally).
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Classic protocol works on every Kafka-compatible cluster (older brokers, Redpanda);
    // cooperative
    // assignment avoids stop-the-world rebalances. Set kafka.consumer.group.protocol=consumer for
    // KIP-848.
    c.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    // A member that died is noticed in 6 s, not the 45 s default (the broker's minimum is 6 s):
    // recovery after a crash in seconds (ADR 0007). Heartbeats every 1.5 s.
    c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
    c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
    c.putAll(base(groupId));
    c.putAll(settings.consumer());
    return c;
  }

  public Map<String, Object> adminConfig() {
    Map<String, Object> c = base("admin");
    c.putAll(settings.admin());
    return c;
  }

  /**
   * Kafka Streams settings: exactly-once v2 by default, internal topics at the configured
   * replication. (Keys spelled out so services without Streams need not depend on it.)
   */
  @Override
  public Map<String, Object> streamsConfig(String applicationId) {
    Map<String, Object> c = new HashMap<>(settings.common());
    c.put("application.id", applicationId);
    c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    c.put(CommonClientConfigs.CLIENT_ID_CONFIG, settings.clientId());
    // Every input record affects the output exactly once, across crashes and rebalances.
    c.put("processing.guarantee", "exactly_once_v2");
    c.put("consumer." + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
    c.put("consumer." + ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
    c.put("replication.factor", (int) settings.replicationFactor());
    c.put("producer." + ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    c.put("producer." + ProducerConfig.RETRY_BACKOFF_MS_CONFIG, RETRY_BACKOFF_MS);
    c.put(
        "producer." + ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.DOCUMENT_MAX_MESSAGE_BYTES);
    c.putAll(settings.streams());
    return c;
  }

  @Override
  public Map<String, Object> serdeConfig() {
    return settings.registry();
  }

  @Override
  public <K, V> Producer<K, V> producer(
      String name, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
    return new KafkaProducer<>(producerConfig(name), keySerializer, valueSerializer);
  }

  @Override
  public <K, V> Producer<K, V> producer(
      String name,
      Map<String, Object> overrides,
      Serializer<K> keySerializer,
      Serializer<V> valueSerializer) {
    Map<String, Object> c = producerConfig(name);
    c.putAll(overrides);
    return new KafkaProducer<>(c, keySerializer, valueSerializer);
  }

  @Override
  public <K, V> Producer<K, V> transactionalProducer(
      String transactionalId, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
    Map<String, Object> c = producerConfig(transactionalId);
    c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    // Our transactions last milliseconds; one left open by a killed process holds the output
    // partitions' last stable offset (and every read_committed reader) until it times out.
    c.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
    return new KafkaProducer<>(c, keySerializer, valueSerializer);
  }

  @Override
  public <K, V> Consumer<K, V> consumer(
      String groupId, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
    return new KafkaConsumer<>(consumerConfig(groupId), keyDeserializer, valueDeserializer);
  }

  @Override
  public <K, V> Consumer<K, V> consumer(
      String groupId,
      Map<String, Object> overrides,
      Deserializer<K> keyDeserializer,
      Deserializer<V> valueDeserializer) {
    Map<String, Object> c = consumerConfig(groupId);
    c.putAll(overrides);
    return new KafkaConsumer<>(c, keyDeserializer, valueDeserializer);
  }

  @Override
  public Admin admin() {
    return Admin.create(adminConfig());
  }
}
