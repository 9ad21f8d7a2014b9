package dev.agentyard.runtime.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The partition the producer's default partitioner puts a keyed record in (murmur2 of the key's
 * UTF-8 bytes, modulo the partition count), which every producer of this project uses: so a reader
 * finds a key's records, or a task's journal, in one partition without scanning the rest.
 */
public final class KeyPartition {

  private KeyPartition() {}

  /** The partition of {@code key} in a topic of {@code partitions} partitions. */
  public static int of(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
