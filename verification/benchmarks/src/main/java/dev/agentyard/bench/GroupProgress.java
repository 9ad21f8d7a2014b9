package dev.agentyard.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * Throughput as the broker sees it: a consumer group's committed offsets on its input topic,
 * sampled every 20 ms while it works through records written before it started. The rate is taken
 * between the samples where 10 % and 100 % of the input is committed, so start-up (group join,
 * state restore, a classifier trained at start) is not counted, for the services and for the
 * yardstick alike. Only committed progress counts: records processed but not committed are not.
 */
public final class GroupProgress {

  /** The measurement: records per second over the window, and the window itself. */
  public record Rate(double perSecond, long records, double windowSeconds, double totalSeconds) {}

  private record Sample(long nanos, long committed) {}

  private GroupProgress() {}

  /**
   * Samples until {@code group} has committed {@code total} offsets on {@code topic}; {@code start}
   * is when the work was started (System.nanoTime), for the total time.
   */
  public static Rate await(
      Admin admin, String group, String topic, long total, long start, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<Sample> samples = new ArrayList<>();
    long deadline = start + timeout.toNanos();
    while (true) {
      long committed = committed(admin, group, topic);
      long now = System.nanoTime();
      samples.add(new Sample(now, committed));
      if (committed >= total) {
        break;
      }
      if (now > deadline) {
        throw new TimeoutException(
            group
                + " committed "
                + committed
                + " of "
                + total
                + " on "
                + topic
                + " within "
                + timeout);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    return rate(
        samples.stream().mapToLong(Sample::nanos).toArray(),
        samples.stream().mapToLong(Sample::committed).toArray(),
        total,
        start);
  }

  /**
   * The rate between the first sample at or past 10 % of {@code total} and the first at {@code
   * total}.
   */
  static Rate rate(long[] nanos, long[] committed, long total, long start) {
    long from = (long) Math.ceil(total * 0.1);
    int i10 = -1;
    int i100 = -1;
    for (int i = 0; i < nanos.length; i++) {
      if (i10 < 0 && committed[i] >= from) {
        i10 = i;
      }
      if (committed[i] >= total) {
        i100 = i;
        break;
      }
    }
    if (i10 < 0 || i100 < 0) {
      throw new IllegalArgumentException("the samples never reach " + total);
    }
    double window = (nanos[i100] - nanos[i10]) / 1e9;
    long records = committed[i100] - committed[i10];
    // everything committed in one go (a tiny run): fall back to the whole run, start-up included
    if (records == 0 || window <= 0) {
      double all = (nanos[i100] - start) / 1e9;
      return new Rate(total / all, total, all, all);
    }
    return new Rate(records / window, records, window, (nanos[i100] - start) / 1e9);
  }

  static long committed(Admin admin, String group, String topic)
      throws ExecutionException, InterruptedException {
    long sum = 0;
    for (var e :
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet()) {
      OffsetAndMetadata o = e.getValue();
      if (e.getKey().topic().equals(topic) && o != null) {
        sum += o.offset();
      }
    }
    return sum;
  }
}
