package dev.agentyard.bench;

import dev.agentyard.runtime.config.ConfigValues;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.runtime.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The yardstick: a plain consumer and producer copying the input records' bytes to another topic,
 * no deserialization and no logic — what Kafka itself moves on this machine. Its clients come from
 * the services' own factory (acks=all, idempotence, lz4, linger 5 ms, read_committed, cooperative
 * assignment); like Kafka Streams, it flushes and commits every 100 ms. At-least-once by default;
 * with {@code exactlyOnce} it writes and commits in a transaction every 100 ms, as the Streams
 * services do with exactly_once_v2.
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

  /**
   * Copies everything on {@code topic} with {@code instances} consumer-producer pairs; the group's
   * committed rate.
   */
  public static GroupProgress.Rate run(
      BenchCluster cluster,
      String topic,
      int partitions,
      int instances,
      boolean exactlyOnce,
      String group)
      throws Exception {
    // the services' own client factory: the same producer and consumer settings, by construction
    Map<String, String> config = cluster.serviceConfig();
    config.put(KafkaSettings.CLIENT_ID, "bench-passthrough");
    DefaultKafkaClients clients =
        new DefaultKafkaClients(KafkaSettings.fromConfig(new ConfigValues(config)));
    long total = Records.endOffsets(cluster.admin(), topic);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < instances; i++) {
      String id = group + "-" + i;
      Thread t =
          Thread.ofPlatform()
              .name("passthrough-" + i)
              .start(
                  () -> {
                    try {
                      copy(clients, topic, OUTPUT, group, id, exactlyOnce, stop);
                    } catch (Throwable e) {
                      failure.compareAndSet(null, e);
                    }
                  });
      threads.add(t);
    }
    try {
      return GroupProgress.await(
          cluster.admin(), group, topic, total, start, Duration.ofMinutes(10));
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

  private static void copy(
      DefaultKafkaClients clients,
      String in,
      String out,
      String group,
      String id,
      boolean exactlyOnce,
      AtomicBoolean stop) {
    ByteArraySerializer ser = new ByteArraySerializer();
    try (Consumer<byte[], byte[]> consumer =
            clients.consumer(group, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Producer<byte[], byte[]> producer =
            exactlyOnce
                ? clients.transactionalProducer(id, ser, ser)
                : clients.producer(id, ser, ser)) {
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
          pending.put(
              new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
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
