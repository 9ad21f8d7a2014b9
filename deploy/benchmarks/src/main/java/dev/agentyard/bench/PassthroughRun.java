package dev.agentyard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The yardstick: a plain consumer and producer copying the input records' bytes to another topic,
 * no deserialization and no logic — what Kafka itself moves on this machine. Producer settings are
 * the services' own (acks=all, idempotence, lz4, linger 5 ms); like Kafka Streams, it flushes and
 * commits every 100 ms. At-least-once by default; with {@code exactlyOnce} it writes and commits
 * in a transaction every 100 ms, as the Streams services do with exactly_once_v2.
 */
public final class PassthroughRun {

  /** Where the copies go; created with the catalogue (see {@link BenchCluster#resetTopics}). */
  static final String OUTPUT = "bench.passthrough.copy";
  /**
   * Its inputs: the services' very records, written several times over, since Kafka alone moves
   * them so much faster that one copy would be gone before a steady rate could be seen.
   */
  static final String TASKS = "bench.passthrough.tasks";
  static final String USAGE = "bench.passthrough.usage";
  private static final long COMMIT_INTERVAL_NANOS = Duration.ofMillis(100).toNanos();

  private PassthroughRun() {}

  /** Copies everything on {@code topic} with {@code instances} consumer-producer pairs; the group's committed rate. */
  public static GroupProgress.Rate run(BenchCluster cluster, String topic, int partitions, int instances, boolean exactlyOnce, String group)
      throws Exception {
    long total = Records.endOffsets(cluster.admin(), topic);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < instances; i++) {
      String id = group + "-" + i;
      Thread t = Thread.ofPlatform().name("passthrough-" + i).start(() -> {
        try {
          copy(cluster.bootstrap(), topic, OUTPUT, group, id, exactlyOnce, stop);
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      threads.add(t);
    }
    try {
      return GroupProgress.await(cluster.admin(), group, topic, total, start, Duration.ofMinutes(10));
    } finally {
      stop.set(true);
      for (Thread t : threads) {
        t.join(30_000);
      }
      if (failure.get() != null) {
        throw new IllegalStateException("passthrough failed", failure.get());
      }
    }
  }

  private static void copy(String bootstrap, String in, String out, String group, String id, boolean exactlyOnce, AtomicBoolean stop) {
    Map<String, Object> cc = new HashMap<>();
    cc.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    cc.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    cc.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    cc.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    cc.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, Object> pc = new HashMap<>();
    pc.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    pc.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    pc.put(ProducerConfig.BATCH_SIZE_CONFIG, 16_384);
    pc.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    if (exactlyOnce) {
      pc.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
    }
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cc, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer = Records.producer(bootstrap, pc)) {
      consumer.subscribe(List.of(in));
      if (exactlyOnce) {
        producer.initTransactions();
      }
      Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
      long lastCommit = System.nanoTime();
      boolean inTransaction = false;
      while (!stop.get()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(50));
        if (exactlyOnce && !inTransaction && !records.isEmpty()) {
          producer.beginTransaction();
          inTransaction = true;
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
          producer.send(new ProducerRecord<>(out, r.partition(), r.key(), r.value(), r.headers()));
          pending.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        if (!pending.isEmpty() && System.nanoTime() - lastCommit >= COMMIT_INTERVAL_NANOS) {
          if (exactlyOnce) {
            producer.sendOffsetsToTransaction(pending, consumer.groupMetadata());
            producer.commitTransaction();
            inTransaction = false;
          } else {
            producer.flush();
            consumer.commitSync(pending);
          }
          pending.clear();
          lastCommit = System.nanoTime();
        }
      }
    }
  }
}
