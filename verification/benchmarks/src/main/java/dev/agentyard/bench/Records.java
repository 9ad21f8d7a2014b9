package dev.agentyard.bench;

import dev.agentyard.schemas.registry.SchemaRegistryClient;
import dev.agentyard.schemas.registry.SchemaRegistryClients;
import dev.agentyard.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writing the workload: records serialized once with our serializer, so every reader sees the very
 * same bytes.
 */
public final class Records {

  /** A serialized record: key and value bytes as they sit on the topic. */
  public record Bytes(byte[] key, byte[] value) {
    public int size() {
      return key.length + value.length;
    }
  }

  private Records() {}

  /**
   * Serializes the values with our registry-aware serializer for {@code topic}, keyed by {@code
   * key}.
   */
  @SuppressWarnings("unchecked")
  public static <T extends SpecificRecord> List<Bytes> serialize(
      String registryUrl, String topic, List<T> values, Function<T, String> key) {
    if (values.isEmpty()) {
      return List.of();
    }
    try (SchemaRegistryClient registry =
        SchemaRegistryClients.create(Map.of("schema.registry.url", registryUrl))) {
      Serializer<T> ser =
          (Serializer<T>)
              AvroSerde.specific(
                      values.get(0).getClass(),
                      registry,
                      Map.of("schema.registry.url", registryUrl, "auto.register.schemas", "false"))
                  .serializer();
      List<Bytes> out = new ArrayList<>(values.size());
      for (T v : values) {
        out.add(new Bytes(key.apply(v).getBytes(StandardCharsets.UTF_8), ser.serialize(topic, v)));
      }
      return out;
    }
  }

  /**
   * A producer for the harness's own writes: acks=all, batched, large enough for inline documents.
   */
  public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Map<String, Object> c = new HashMap<>();
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    c.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
    // One request at a time per broker: a just-created partition can refuse the first batch
    // (NOT_LEADER) while later ones land, after which the idempotent producer retries sequence 0
    // forever with OUT_OF_ORDER_SEQUENCE_NUMBER. The harness's own writes need no pipelining.
    c.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Writes all records to {@code topic} and waits until they are acknowledged. */
  public static void produce(String bootstrap, String topic, List<Bytes> records) {
    try (KafkaProducer<byte[], byte[]> p = producer(bootstrap)) {
      for (Bytes r : records) {
        p.send(new ProducerRecord<>(topic, r.key(), r.value()));
      }
      p.flush();
    }
  }

  /** Sum of the end offsets of a topic's partitions. */
  public static long endOffsets(Admin admin, String topic)
      throws ExecutionException, InterruptedException {
    var partitions =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
    Map<TopicPartition, OffsetSpec> req = new HashMap<>();
    partitions.forEach(p -> req.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
    return admin.listOffsets(req).all().get().values().stream().mapToLong(i -> i.offset()).sum();
  }

  /**
   * Committed records in {@code topics} (read_committed, to the end: transaction markers, which end
   * offsets count, are not records).
   */
  public static long committed(String bootstrap, List<String> topics) {
    Map<String, Object> cc = new HashMap<>();
    cc.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    cc.put(
        org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (var c =
        new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(
            cc,
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (String t : topics) {
        c.partitionsFor(t).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long n = 0;
      long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topics + " to the end in 2 minutes");
        }
        n += c.poll(java.time.Duration.ofMillis(200)).count();
      }
      return n;
    }
  }

  /** Mean record size (key + value bytes). */
  public static double meanSize(List<Bytes> records) {
    return records.stream().mapToInt(Bytes::size).average().orElse(0);
  }
}
