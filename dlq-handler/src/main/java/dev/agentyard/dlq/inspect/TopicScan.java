package dev.agentyard.dlq.inspect;

import dev.agentyard.runtime.kafka.KeyPartition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads topics from a start time (or the beginning) up to their end as it was when the scan
 * started, then stops: the snapshot an operator acts on. Uses no consumer group (partitions are
 * assigned, nothing is committed), and reads committed records only, so aborted transactions of a
 * crashed replay are never seen.
 */
public final class TopicScan {

  private final Supplier<org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>> consumers;
  private final Duration timeout;

  /**
   * @param consumers makes a consumer with no group id, read_committed, auto-commit off
   */
  public TopicScan(
      Supplier<org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>> consumers,
      Duration timeout) {
    this.consumers = consumers;
    this.timeout = timeout;
  }

  /**
   * Hands every record of the topics from {@code from} to the current end to {@code sink}; returns
   * how many.
   */
  public long scan(
      Collection<String> topics,
      Optional<Instant> from,
      Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    try (var consumer = consumers.get()) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String t : topics) {
        partitionsOf(consumer, t)
            .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      }
      return read(consumer, topics, partitions, from, sink);
    }
  }

  /**
   * Hands the records of one key from {@code from} to the current end to {@code sink}, reading only
   * the partition the default partitioner puts that key in (how every producer of this project
   * writes keyed records); returns how many.
   */
  public long scanKey(
      String topic,
      String key,
      Optional<Instant> from,
      Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    try (var consumer = consumers.get()) {
      int partition = KeyPartition.of(key, partitionsOf(consumer, topic).size());
      return read(
          consumer,
          List.of(topic),
          List.of(new TopicPartition(topic, partition)),
          from,
          r -> {
            if (r.key() != null && Arrays.equals(r.key(), bytes)) {
              sink.accept(r);
            }
          });
    }
  }

  private List<PartitionInfo> partitionsOf(
      org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer, String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalArgumentException("topic " + topic + " does not exist");
    }
    return infos;
  }

  private long read(
      org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer,
      Collection<String> topics,
      List<TopicPartition> partitions,
      Optional<Instant> from,
      Consumer<ConsumerRecord<byte[], byte[]>> sink) {
    if (partitions.isEmpty()) {
      return 0;
    }
    consumer.assign(partitions);
    Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
    if (from.isPresent()) {
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(p -> query.put(p, from.get().toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> at = consumer.offsetsForTimes(query, timeout);
      for (TopicPartition p : partitions) {
        OffsetAndTimestamp o = at.get(p);
        consumer.seek(p, o == null ? end.get(p) : o.offset());
      }
    } else {
      consumer.seekToBeginning(partitions);
    }
    long count = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done(consumer, end)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "could not read " + topics + " to the end within " + timeout);
      }
      ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
      for (ConsumerRecord<byte[], byte[]> r : records) {
        if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
          sink.accept(r);
          count++;
        }
      }
    }
    return count;
  }

  /** The record at one offset, if it exists and is committed. */
  public Optional<ConsumerRecord<byte[], byte[]>> one(String topic, int partition, long offset) {
    try (var consumer = consumers.get()) {
      TopicPartition tp = new TopicPartition(topic, partition);
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.stream().noneMatch(p -> p.partition() == partition)) {
        return Optional.empty();
      }
      consumer.assign(List.of(tp));
      long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
      long start = consumer.beginningOffsets(List.of(tp), timeout).get(tp);
      if (offset < start || offset >= end) {
        return Optional.empty();
      }
      consumer.seek(tp, offset);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && consumer.position(tp) <= offset) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() == offset) {
            return Optional.of(r);
          }
          if (r.offset() > offset) {
            return Optional.empty(); // the offset holds a transaction marker or an aborted record
          }
        }
      }
      return Optional.empty();
    }
  }

  private static boolean done(
      org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      // position can stop short of the end offset only by transaction markers; position() skips
      // them
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
