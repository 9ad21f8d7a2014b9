package dev.agentyard.workers.consume;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets a consumer may commit when records complete out of order (many model calls in
 * flight per partition). For each partition the committable position is the lowest offset still in
 * flight — or one past the highest offset started when nothing is in flight — so a commit never
 * covers unfinished work: after a crash, everything not yet completed is consumed again.
 *
 * <p>Not thread-safe, by design: owned by the poll thread. Completions from other threads are
 * handed to it (e.g. through a queue) before {@link #completed} is called.
 */
public final class OffsetTracker {

  private static final class PartitionState {
    final TreeSet<Long> inFlight = new TreeSet<>();
    long highestStarted = -1;
    long lastCommitted = -1;
  }

  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();

  /**
   * A record was handed to processing. Offsets of a partition must be started in increasing order.
   */
  public void started(TopicPartition tp, long offset) {
    PartitionState s = partitions.computeIfAbsent(tp, k -> new PartitionState());
    if (offset <= s.highestStarted) {
      throw new IllegalStateException(
          "offset " + offset + " of " + tp + " started after " + s.highestStarted);
    }
    s.inFlight.add(offset);
    s.highestStarted = offset;
  }

  /**
   * A record finished (result, review item, retry or dead letter written). Unknown offsets are
   * ignored (revoked partition).
   */
  public void completed(TopicPartition tp, long offset) {
    PartitionState s = partitions.get(tp);
    if (s != null) {
      s.inFlight.remove(offset);
    }
  }

  /** Records of the partition still in flight. */
  public int inFlight(TopicPartition tp) {
    PartitionState s = partitions.get(tp);
    return s == null ? 0 : s.inFlight.size();
  }

  /** Records in flight across all partitions. */
  public int inFlight() {
    int n = 0;
    for (PartitionState s : partitions.values()) {
      n += s.inFlight.size();
    }
    return n;
  }

  /**
   * The position that may be committed now for the partition (the next offset to consume), if any.
   */
  public OptionalLong committable(TopicPartition tp) {
    PartitionState s = partitions.get(tp);
    if (s == null || s.highestStarted < 0) {
      return OptionalLong.empty();
    }
    long position = s.inFlight.isEmpty() ? s.highestStarted + 1 : s.inFlight.first();
    return position > s.lastCommitted ? OptionalLong.of(position) : OptionalLong.empty();
  }

  /**
   * The partition's position as it stands (the next offset to consume), whether or not it moved
   * since the last commit: committed again with a transaction's outputs so that the transaction
   * carries the group's generation for every partition it writes for.
   */
  public OptionalLong position(TopicPartition tp) {
    PartitionState s = partitions.get(tp);
    if (s == null || s.highestStarted < 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(s.inFlight.isEmpty() ? s.highestStarted + 1 : s.inFlight.first());
  }

  /**
   * Every partition's committable position that moved since the last commit; marks them committed.
   */
  public Map<TopicPartition, OffsetAndMetadata> takeCommits() {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    partitions.forEach(
        (tp, s) ->
            committable(tp)
                .ifPresent(
                    p -> {
                      out.put(tp, new OffsetAndMetadata(p));
                      s.lastCommitted = p;
                    }));
    return out;
  }

  /** The partition was revoked or lost: forget it; late completions for it are ignored. */
  public void forget(TopicPartition tp) {
    partitions.remove(tp);
  }
}
