package dev.agentyard.runtime.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of a topic into local state, on its own thread, without a consumer group
 * (assigned, never committing): the control topic from its beginning, the results topic from a
 * look-back time. {@link #awaitCaughtUp} returns once everything that was in the topic when the
 * follower started has been applied, so a worker knows the kill switches and finished tasks before
 * it takes work.
 */
public final class TopicFollower implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);

  private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
  private final List<String> topics;
  private final Duration lookBack;
  private final Consumer<ConsumerRecord<byte[], byte[]>> apply;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;
  private final ConcurrentLinkedQueue<CountDownLatch> syncRequests = new ConcurrentLinkedQueue<>();
  private volatile boolean running = true;
  private volatile Throwable failure;

  /**
   * @param lookBack how far back to start reading; null reads from the beginning
   * @param apply applies one record to the state; must not throw for bad data (log and skip it)
   */
  public TopicFollower(
      String name,
      org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer,
      String topic,
      Duration lookBack,
      Consumer<ConsumerRecord<byte[], byte[]>> apply) {
    this(name, consumer, List.of(topic), lookBack, apply);
  }

  /** Follows every partition of several topics with one consumer and one thread. */
  public TopicFollower(
      String name,
      org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer,
      List<String> topics,
      Duration lookBack,
      Consumer<ConsumerRecord<byte[], byte[]>> apply) {
    this.consumer = consumer;
    this.topics = List.copyOf(topics);
    this.lookBack = lookBack;
    this.apply = apply;
    this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
  }

  public TopicFollower start() {
    thread.start();
    return this;
  }

  /** True once the topic's contents at start have been applied. */
  public boolean caughtUp() {
    return caughtUp.getCount() == 0;
  }

  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Waits until everything committed to the topic when this is called has been applied: the
   * follower reads the topic's end offsets (the last stable offsets, since it reads committed data)
   * and returns once it is past them. A worker calls this before running tasks of partitions it was
   * just assigned, so endings its predecessor committed are known.
   *
   * @return false when not reached within the timeout, or the follower stopped
   */
  public boolean sync(Duration timeout) throws InterruptedException {
    CountDownLatch done = requestSync();
    return done != null && done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * {@link #sync} of several followers at once: each reads to its end in parallel.
   *
   * @return the names of those that did not get there within the timeout (empty: all did)
   */
  public static List<String> syncAll(Map<String, TopicFollower> followers, Duration timeout)
      throws InterruptedException {
    Map<String, CountDownLatch> pending = new HashMap<>();
    followers.forEach((name, f) -> pending.put(name, f.requestSync()));
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> late = new ArrayList<>();
    for (Map.Entry<String, CountDownLatch> e : pending.entrySet()) {
      long left = Math.max(0, deadline - System.nanoTime());
      if (e.getValue() == null || !e.getValue().await(left, TimeUnit.NANOSECONDS)) {
        late.add(e.getKey());
      }
    }
    return late;
  }

  /** Asks the follower's thread to read to the current end; null when it stopped. */
  private CountDownLatch requestSync() {
    if (failure != null || !running) {
      return null;
    }
    CountDownLatch done = new CountDownLatch(1);
    syncRequests.add(done);
    consumer.wakeup();
    return done;
  }

  /** Why the follower stopped, if it failed. */
  public Throwable failure() {
    return failure;
  }

  private void run() {
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .forEach(partitions::add);
      }
      consumer.assign(partitions);
      if (lookBack == null) {
        consumer.seekToBeginning(partitions);
      } else {
        long since = System.currentTimeMillis() - lookBack.toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, since));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        for (TopicPartition tp : partitions) {
          OffsetAndTimestamp o = found.get(tp);
          if (o == null) {
            consumer.seekToEnd(List.of(tp)); // nothing that recent
          } else {
            consumer.seek(tp, o.offset());
          }
        }
      }
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
      List<Map.Entry<CountDownLatch, Map<TopicPartition, Long>>> syncs = new ArrayList<>();
      while (running) {
        try {
          CountDownLatch request;
          while ((request = syncRequests.peek()) != null) {
            syncs.add(Map.entry(request, new HashMap<>(consumer.endOffsets(partitions))));
            syncRequests.remove(request);
          }
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            apply.accept(r);
          }
        } catch (WakeupException e) {
          if (!running) {
            break;
          }
          // woken for a sync request: taken at the top of the loop
        }
        if (caughtUp.getCount() > 0) {
          end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
          if (end.isEmpty()) {
            caughtUp.countDown();
            log.info("Caught up with {}", topics);
          }
        }
        syncs.removeIf(
            s -> {
              s.getValue().entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
              if (s.getValue().isEmpty()) {
                s.getKey().countDown();
                return true;
              }
              return false;
            });
      }
    } catch (WakeupException e) {
      if (running) {
        failure = e;
      }
    } catch (RuntimeException e) {
      failure = e;
      log.error("Follower of {} failed", topics, e);
    } finally {
      consumer.close();
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
