package dev.agentyard.schemas.topics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.TopicConfig;

/**
 * One topic of the catalogue: its name, how its keys and values are encoded, and the settings it is
 * created with. Immutable.
 *
 * @param name topic name
 * @param keyFormat how keys are encoded
 * @param valueType the Avro event class of the values, or empty for raw bytes (dead letters,
 *     retries)
 * @param partitions partitions the topic is created with
 * @param cleanupPolicy {@code delete} or {@code compact}
 * @param retention how long records are kept ({@code retention.ms}); ignored by compaction
 * @param description what the topic is for, shown by the catalogue command
 */
public record TopicSpec(
    String name,
    KeyFormat keyFormat,
    Optional<Class<? extends SpecificRecord>> valueType,
    int partitions,
    String cleanupPolicy,
    Duration retention,
    String description) {

  /** How a topic's keys are encoded. */
  public enum KeyFormat {
    /** UTF-8 string (task id, route, scope key). */
    STRING,
    /** The bytes of the original record's key, untouched (dead letters, retries). */
    RAW_BYTES
  }

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keyFormat, "keyFormat");
    Objects.requireNonNull(valueType, "valueType");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions of " + name + " must be at least 1");
    }
    if (!cleanupPolicy.equals(TopicConfig.CLEANUP_POLICY_DELETE)
        && !cleanupPolicy.equals(TopicConfig.CLEANUP_POLICY_COMPACT)) {
      throw new IllegalArgumentException(
          "cleanup policy of " + name + " must be delete or compact");
    }
  }

  /** An Avro event topic with string keys. */
  public static TopicSpec avro(
      String name,
      Class<? extends SpecificRecord> valueType,
      int partitions,
      String cleanupPolicy,
      Duration retention,
      String description) {
    return new TopicSpec(
        name,
        KeyFormat.STRING,
        Optional.of(valueType),
        partitions,
        cleanupPolicy,
        retention,
        description);
  }

  /** A topic whose keys and values are another topic's bytes, untouched. */
  public static TopicSpec rawBytes(
      String name, int partitions, Duration retention, String description) {
    return new TopicSpec(
        name,
        KeyFormat.RAW_BYTES,
        Optional.empty(),
        partitions,
        TopicConfig.CLEANUP_POLICY_DELETE,
        retention,
        description);
  }

  /** A copy with another partition count. */
  public TopicSpec withPartitions(int n) {
    return new TopicSpec(name, keyFormat, valueType, n, cleanupPolicy, retention, description);
  }

  /**
   * Largest record a topic that carries documents accepts ({@code max.message.bytes}): a task with
   * an inline PDF at the router's default 1 MiB cap, plus the text the router extracted from it, is
   * larger than the broker's 1 MiB default. Producers writing such topics raise {@code
   * max.request.size} to match.
   */
  public static final int DOCUMENT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  /**
   * Whether the topic's records can carry a whole document (tasks, routed tasks, review items,
   * copies of them).
   */
  public boolean carriesDocuments() {
    return valueType.isEmpty()
        || valueType.get().getSimpleName().equals("TaskSubmitted")
        || valueType.get().getSimpleName().equals("RoutedTask")
        || valueType.get().getSimpleName().equals("ReviewItem");
  }

  /** Whether the topic's records carry a serialised classifier model (hundreds of kilobytes). */
  public boolean carriesModels() {
    return valueType.isPresent() && valueType.get().getSimpleName().equals("ClassifierModel");
  }

  /** Whether the topic is a route's run journal. */
  public boolean isJournal() {
    return valueType.isPresent() && valueType.get().getSimpleName().equals("RunJournalEntry");
  }

  /** The topic configs this spec creates and validates. */
  public Map<String, String> configs() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy);
    if (carriesDocuments() || carriesModels()) {
      c.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(DOCUMENT_MAX_MESSAGE_BYTES));
    }
    if (cleanupPolicy.equals(TopicConfig.CLEANUP_POLICY_DELETE)) {
      c.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis()));
    }
    if (isJournal()) {
      // a journal is read from its beginning when its partition is assigned: roll and clean often
      // so what is read is close to the runs still open, and drop tombstones after an hour
      c.put(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofMinutes(10).toMillis()));
      c.put(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.1");
      c.put(TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis()));
    }
    return c;
  }
}
