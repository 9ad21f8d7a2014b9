package dev.agentyard.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows topics from their current end, as a {@code read_committed} consumer without a group, and
 * hands every record to a sink: what an integration test counts its outputs with. Returns from
 * {@link #start} only once positioned, so nothing produced afterwards is missed and nothing from
 * earlier tests is seen.
 */
public final class TopicTail implements AutoCloseable {

  private final Thread thread;
  private volatile boolean running = true;

  private TopicTail(
      KafkaCluster kafka, List<String> topics, Consumer<ConsumerRecord<byte[], byte[]>> sink)
      throws InterruptedException {
    CountDownLatch positioned = new CountDownLatch(1);
    this.thread =
        Thread.ofPlatform()
            .name("topic-tail")
            .daemon()
            .start(() -> run(kafka, topics, sink, positioned));
    if (!positioned.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("could not position on " + topics + " within 30 s");
    }
  }

  public static TopicTail start(
      KafkaCluster kafka, List<String> topics, Consumer<ConsumerRecord<byte[], byte[]>> sink)
      throws InterruptedException {
    return new TopicTail(kafka, topics, sink);
  }

  private void run(
      KafkaCluster kafka,
      List<String> topics,
      Consumer<ConsumerRecord<byte[], byte[]>> sink,
      CountDownLatch positioned) {
    Map<String, Object> c = new HashMap<>(kafka.clientProperties());
    // outputs of aborted transactions must not count
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (String t : topics) {
        consumer.partitionsFor(t).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
      }
      consumer.assign(parts);
      consumer.seekToEnd(parts);
      parts.forEach(consumer::position); // resolve the end offsets now, before anything is produced
      positioned.countDown();
      while (running) {
        consumer.poll(Duration.ofMillis(100)).forEach(sink);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(5_000);
  }
}
