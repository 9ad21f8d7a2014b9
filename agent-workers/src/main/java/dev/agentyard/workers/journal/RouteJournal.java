package dev.agentyard.workers.journal;

import dev.agentyard.avro.RunJournalEntry;
import dev.agentyard.runtime.kafka.KeyPartition;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.workers.Sends;
import dev.agentyard.workers.agent.JournalStep;
import dev.agentyard.workers.agent.RunJournal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run journal of one route on this instance (ADR 0016): the steps of the runs whose partitions
 * it owns, read from {@code agent.journal.<route>.v1} when those partitions are assigned, and the
 * steps its own runs record. A task's steps live in the journal partition with the index of the
 * route-topic partition its id hashes to (the same partitioner), so an instance reads only the
 * journal of the partitions it owns. A run that ends (result, review item, dead letter) is
 * tombstoned; compaction then removes it.
 */
public final class RouteJournal implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RouteJournal.class);

  private final String route;
  private final String topic;
  private final Producer<byte[], byte[]> producer;
  private final Consumer<byte[], byte[]> reader;
  private final Serializer<RunJournalEntry> serializer;
  private final Deserializer<RunJournalEntry> deserializer;
  private final Duration readTimeout;
  private int partitions;

  /** Steps per task, by seq, for the loaded partitions. */
  private final Map<String, TreeMap<Integer, RunJournalEntry>> runs = new HashMap<>();

  /** Loaded journal partitions and the reader's position in each. */
  private final Map<Integer, Long> loaded = new HashMap<>();

  public RouteJournal(
      String route,
      Producer<byte[], byte[]> producer,
      Consumer<byte[], byte[]> reader,
      Serializer<RunJournalEntry> serializer,
      Deserializer<RunJournalEntry> deserializer,
      Duration readTimeout) {
    this.route = route;
    this.topic = Topics.journal(route).name();
    this.producer = producer;
    this.reader = reader;
    this.serializer = serializer;
    this.deserializer = deserializer;
    this.readTimeout = readTimeout;
  }

  /** The journal partition of a task: the route-topic partitioner applied to its id. */
  public synchronized int partitionOf(String taskId) {
    if (partitions == 0) {
      partitions = producer.partitionsFor(topic).size();
    }
    return KeyPartition.of(taskId, partitions);
  }

  /**
   * Reads the given journal partitions up to their current end: from the beginning for those not
   * loaded yet, from where the reader stopped for the others. Called before a task from one of them
   * runs, so its earlier steps are known.
   */
  public synchronized void catchUp(Collection<Integer> indexes) {
    if (indexes.isEmpty()) {
      return;
    }
    List<TopicPartition> all = new ArrayList<>();
    for (int i : indexes) {
      all.add(new TopicPartition(topic, i));
    }
    Set<TopicPartition> assigned = new HashSet<>(reader.assignment());
    assigned.addAll(all);
    reader.assign(assigned);
    for (TopicPartition tp : all) {
      Long at = loaded.get(tp.partition());
      if (at == null) {
        reader.seekToBeginning(List.of(tp));
      } else {
        reader.seek(tp, at);
      }
    }
    Map<TopicPartition, Long> end = new HashMap<>(reader.endOffsets(all, readTimeout));
    long deadline = System.nanoTime() + readTimeout.toNanos();
    int read = 0;
    while (true) {
      end.entrySet().removeIf(e -> reader.position(e.getKey()) >= e.getValue());
      if (end.isEmpty()) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "could not read the run journal " + topic + " " + end + " within " + readTimeout);
      }
      reader.pause(reader.assignment());
      reader.resume(end.keySet());
      for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(100))) {
        apply(r);
        read++;
      }
    }
    for (TopicPartition tp : all) {
      loaded.put(tp.partition(), reader.position(tp));
    }
    if (read > 0) {
      log.info("Read {} journal records of {} partitions {}", read, topic, indexes);
    }
  }

  /** Forgets the state of partitions this instance gave up. */
  public synchronized void release(Collection<Integer> indexes) {
    indexes.forEach(loaded::remove);
    runs.keySet().removeIf(taskId -> indexes.contains(partitionOf(taskId)));
    Set<TopicPartition> keep = new HashSet<>(reader.assignment());
    keep.removeIf(tp -> indexes.contains(tp.partition()));
    reader.assign(keep);
  }

  private void apply(ConsumerRecord<byte[], byte[]> r) {
    if (r.key() == null) {
      return;
    }
    String key = new String(r.key(), StandardCharsets.UTF_8);
    int slash = key.lastIndexOf('/');
    if (slash < 0) {
      return;
    }
    String taskId = key.substring(0, slash);
    int seq;
    try {
      seq = Integer.parseInt(key.substring(slash + 1));
    } catch (NumberFormatException e) {
      return;
    }
    if (r.value() == null) {
      TreeMap<Integer, RunJournalEntry> steps = runs.get(taskId);
      if (steps != null) {
        steps.remove(seq);
        if (steps.isEmpty()) {
          runs.remove(taskId);
        }
      }
      return;
    }
    try {
      RunJournalEntry e = deserializer.deserialize(r.topic(), r.headers(), r.value());
      runs.computeIfAbsent(taskId, k -> new TreeMap<>()).put(seq, e);
    } catch (RuntimeException e) {
      log.warn("Unreadable journal record {}@{}:{}; ignored", r.topic(), r.partition(), r.offset());
    }
  }

  /** The journal of one run: its earlier steps, and where it records its own. */
  public synchronized RunJournal open(String taskId) {
    TreeMap<Integer, RunJournalEntry> steps = runs.get(taskId);
    List<JournalStep> prior = new ArrayList<>();
    if (steps != null) {
      steps.values().forEach(e -> JournalCodec.decode(e).ifPresent(prior::add));
    }
    int partition = partitionOf(taskId);
    return new RunJournal() {
      @Override
      public List<JournalStep> prior() {
        return prior;
      }

      @Override
      public CompletableFuture<Void> append(JournalStep step) {
        return RouteJournal.this.append(taskId, partition, step);
      }
    };
  }

  private CompletableFuture<Void> append(String taskId, int partition, JournalStep step) {
    RunJournalEntry entry;
    synchronized (this) {
      TreeMap<Integer, RunJournalEntry> steps = runs.computeIfAbsent(taskId, k -> new TreeMap<>());
      int seq = steps.isEmpty() ? 0 : steps.lastKey() + 1;
      entry = JournalCodec.encode(taskId, route, seq, step);
      steps.put(seq, entry);
    }
    byte[] value = serializer.serialize(topic, entry);
    return Sends.acknowledged(
        producer, new ProducerRecord<>(topic, partition, key(taskId, entry.getSeq()), value));
  }

  /**
   * Tombstones a finished run's steps (after its ending is committed). Not awaited: a tombstone
   * lost to a crash leaves steps of a run that has ended, which nothing resumes (the task is
   * skipped as done) and the runbook's sweep removes.
   */
  public void finish(String taskId) {
    List<Integer> seqs;
    synchronized (this) {
      TreeMap<Integer, RunJournalEntry> steps = runs.remove(taskId);
      if (steps == null) {
        return;
      }
      seqs = new ArrayList<>(steps.keySet());
    }
    int partition = partitionOf(taskId);
    for (int seq : seqs) {
      producer.send(new ProducerRecord<>(topic, partition, key(taskId, seq), null));
    }
  }

  private static byte[] key(String taskId, int seq) {
    return (taskId + "/" + seq).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void close() {
    reader.close();
  }
}
