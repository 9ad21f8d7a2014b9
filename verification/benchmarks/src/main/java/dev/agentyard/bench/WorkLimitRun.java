package dev.agentyard.bench;

import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.router.RouterConfig;
import dev.agentyard.router.RouterModule;
import dev.agentyard.router.content.DocumentException;
import dev.agentyard.router.content.DocumentLoader;
import dev.agentyard.router.content.LoadedDocument;
import dev.agentyard.router.routing.RoutingDecision;
import dev.agentyard.router.routing.RoutingEngine;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The router's <em>work limit</em>, a yardstick beside the passthrough: the same per-document work
 * the router does — decode the task, load its document (PDF text included), screen, classify,
 * route, encode the outputs — done by plain consumers, one thread per core, each its own consumer
 * in one group, with nothing else: no transactions, no state stores, no output written, offsets
 * committed every 100 ms. What the router's own components cost on these cores, so the router's
 * ratio to it says what Kafka Streams, exactly-once and the writes add.
 */
final class WorkLimitRun {

  private static final long COMMIT_INTERVAL_NANOS = Duration.ofMillis(100).toNanos();

  private WorkLimitRun() {}

  static GroupProgress.Rate run(BenchCluster cluster, int threads, String group) throws Exception {
    Map<String, String> settings = cluster.serviceConfig();
    settings.put("router.application.id", group);
    RouterConfig config = RouterConfig.fromMap(RouterConfig.effective(settings));
    try (RouterModule module =
        new RouterModule(config, new DefaultKafkaClients(config.kafka()), Clock.systemUTC())) {
      // built (the classifier trained) before the clock starts, as the router's start does
      DocumentLoader loader = module.documentLoader();
      RoutingEngine engine = module.routingEngine();
      long total = Records.endOffsets(cluster.admin(), Topics.TASKS.name());
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> workers = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < threads; i++) {
        workers.add(
            Thread.ofPlatform()
                .name("work-limit-" + i)
                .start(
                    () -> {
                      try {
                        work(module, loader, engine, group, stop);
                      } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                      }
                    }));
      }
      try {
        return GroupProgress.await(
            cluster.admin(), group, Topics.TASKS.name(), total, start, Duration.ofMinutes(10));
      } finally {
        stop.set(true);
        for (Thread t : workers) {
          t.join(30_000);
        }
        if (failure.get() != null) {
          throw new IllegalStateException("work-limit consumer failed", failure.get());
        }
      }
    }
  }

  private static void work(
      RouterModule module,
      DocumentLoader loader,
      RoutingEngine engine,
      String group,
      AtomicBoolean stop) {
    var tasks = module.serde(TaskSubmitted.class).deserializer();
    Serializer<RoutedTask> routed = module.serde(RoutedTask.class).serializer();
    Serializer<ReviewItem> review = module.serde(ReviewItem.class).serializer();
    long encoded = 0;
    try (Consumer<byte[], byte[]> consumer =
        module
            .clients()
            .consumer(group, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.TASKS.name()));
      Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
      long lastCommit = System.nanoTime();
      while (!stop.get()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(50));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          TaskSubmitted task = tasks.deserialize(r.topic(), r.headers(), r.value());
          try {
            LoadedDocument doc = loader.load(task.getDocument());
            RoutingDecision decision = engine.route(task, doc, Optional.empty());
            if (decision instanceof RoutingDecision.Routed rt) {
              for (RoutedTask t : rt.tasks()) {
                encoded += routed.serialize(Topics.route(t.getRoute()).name(), t).length;
              }
            } else if (decision instanceof RoutingDecision.Review rv) {
              encoded += review.serialize(Topics.REVIEW.name(), rv.item()).length;
            }
          } catch (DocumentException e) {
            encoded++; // the router dead-letters it: no output to encode
          }
          pending.put(
              new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        if (!pending.isEmpty() && System.nanoTime() - lastCommit >= COMMIT_INTERVAL_NANOS) {
          try {
            consumer.commitSync(pending);
            pending.clear();
          } catch (RebalanceInProgressException e) {
            // the other threads are joining: commit after the next poll completes the rebalance
          } catch (CommitFailedException e) {
            pending.clear(); // the partitions moved: their new owner does those records again
          }
          lastCommit = System.nanoTime();
        }
      }
    }
    if (encoded < 0) {
      throw new IllegalStateException("unreachable: keeps the encoding from being optimised away");
    }
  }
}
