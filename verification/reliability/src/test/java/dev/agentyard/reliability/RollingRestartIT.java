package dev.agentyard.reliability;

import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.OwnCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import dev.agentyard.testing.TopicTail;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 9: what every deploy does — each service restarted one instance at a time (SIGTERM,
 * start, ready) while load flows on the 3-broker cluster: the router, both worker instances, the
 * cost aggregator. Every task must still end once and cost must equal the provider's ledger; the
 * longest time each service went without output during the restarts is reported.
 */
@Tag("reliability")
@OwnCluster(brokers = 3)
@ExtendWith(KafkaAndRegistryExtension.class)
class RollingRestartIT {

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void restartingEveryServiceOneInstanceAtATimeUnderLoadLosesAndDoublesNothing(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    Path dir = ReliabilityReport.scenarioDir("rolling-restart");
    try (Pipeline p = Pipeline.start("rolling-restart", kafka, registry, dir, Map.of(), Map.of());
        ScenarioRun run = ScenarioRun.begin(p, 120)) {
      // two worker instances, as a deployment runs them: one keeps the routes while the other
      // restarts
      p.addWorker();
      List<String> routerOut =
          Stream.concat(
                  Stream.of(Topics.REVIEW.name()),
                  Topics.DEFAULT_ROUTES.stream().map(r -> Topics.route(r).name()))
              .toList();
      // when outputs arrive, not their timestamps: Streams stamps the router's outputs with their
      // input's time
      ConcurrentLinkedQueue<Instant> routed = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Instant> ended = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Instant> costProgress = new ConcurrentLinkedQueue<>();
      AtomicBoolean watching = new AtomicBoolean(true);
      Thread costWatch =
          Thread.ofPlatform()
              .daemon()
              .name("cost-progress")
              .start(
                  () -> watchCommits(kafka, "agentyard-cost-aggregator", costProgress, watching));
      try (TopicTail r = TopicTail.start(kafka, routerOut, x -> routed.add(Instant.now()));
          TopicTail w =
              TopicTail.start(
                  kafka, List.of(Topics.RESULTS.name()), x -> ended.add(Instant.now()))) {
        run.publish(6); // ~450 tasks at 6/s: 75 s of steady load
        run.awaitAccounted(20, Duration.ofMinutes(2));
        Instant first = Instant.now();
        List<Service> order = new ArrayList<>();
        order.add(p.router());
        order.addAll(p.workers());
        order.add(p.cost());
        List<String> steps = new ArrayList<>();
        for (Service s : order) {
          Instant t0 = Instant.now();
          s.stop();
          s.start();
          s.awaitReady(Duration.ofMinutes(1));
          steps.add(s.name() + " " + Duration.between(t0, Instant.now()).toMillis() + " ms");
          TimeUnit.SECONDS.sleep(3); // load flows between restarts, as between pods of a rollout
        }
        Instant last = Instant.now();
        run.note(
            "restarted one at a time (SIGTERM, start, ready)",
            String.join(", ", steps) + "; " + run.accounted() + " of " + run.tasks() + " ended");
        Map<String, Duration> gaps = new LinkedHashMap<>();
        gaps.put("router (routed tasks)", longestGap(routed, first, last));
        gaps.put("agent workers (results)", longestGap(ended, first, last));
        gaps.put("cost aggregator (committed usage)", longestGap(costProgress, first, last));
        run.note(
            "longest gap without output during the restarts",
            gaps.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().toMillis() + " ms")
                .collect(Collectors.joining(", ")));
        run.verify(
                "120 applications at 6 tasks/s, 3 brokers, 2 worker instances",
                "rolling restart: router, each worker instance, cost aggregator (SIGTERM, start)",
                Duration.ofMinutes(4))
            .assertHeld();
      } finally {
        watching.set(false);
        costWatch.join(5_000);
      }
    }
  }

  /**
   * The longest time between consecutive events within {@code [from, to]} (counting from {@code
   * from} to the first and from the last to {@code to}).
   */
  static Duration longestGap(java.util.Collection<Instant> events, Instant from, Instant to) {
    List<Instant> in =
        events.stream().filter(t -> !t.isBefore(from) && !t.isAfter(to)).sorted().toList();
    Duration longest = Duration.ZERO;
    Instant prev = from;
    for (Instant t : in) {
      Duration d = Duration.between(prev, t);
      longest = d.compareTo(longest) > 0 ? d : longest;
      prev = t;
    }
    Duration tail = Duration.between(prev, to);
    return tail.compareTo(longest) > 0 ? tail : longest;
  }

  /**
   * Records when a consumer group's committed offsets advance (its outputs are minute windows, so
   * its progress is what it commits on its input).
   */
  private static void watchCommits(
      KafkaCluster kafka, String group, ConcurrentLinkedQueue<Instant> out, AtomicBoolean on) {
    try (Admin admin = kafka.admin()) {
      long last = -1;
      while (on.get()) {
        try {
          long sum =
              admin
                  .listConsumerGroupOffsets(group)
                  .partitionsToOffsetAndMetadata()
                  .get(10, TimeUnit.SECONDS)
                  .values()
                  .stream()
                  .filter(o -> o != null)
                  .mapToLong(OffsetAndMetadata::offset)
                  .sum();
          if (sum > last) {
            if (last >= 0) {
              out.add(Instant.now());
            }
            last = sum;
          }
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          // the group is rebalancing or a broker is busy: the next look tells
        }
        TimeUnit.MILLISECONDS.sleep(200); // sampling the group's commits
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
