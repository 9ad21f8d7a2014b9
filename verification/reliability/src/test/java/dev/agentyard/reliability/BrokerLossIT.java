package dev.agentyard.reliability;

import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.OwnCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 3: one broker of three stopped and restarted while load flows (replication 3, min ISR
 * 2).
 */
@Tag("reliability")
@OwnCluster(brokers = 3)
@ExtendWith(KafkaAndRegistryExtension.class)
class BrokerLossIT {

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void losingABrokerUnderLoadLosesAndDoublesNothing(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    Path dir = ReliabilityReport.scenarioDir("broker-loss");
    try (Pipeline p = Pipeline.start("broker-loss", kafka, registry, dir, Map.of(), Map.of());
        ScenarioRun run = ScenarioRun.begin(p, 30)) {
      run.publish(20);
      run.awaitAccounted(15, Duration.ofMinutes(2));
      int victim = kafka.brokerIds().iterator().next();
      kafka.stopBroker(victim);
      run.note(
          "broker stopped at",
          run.accounted() + " of " + run.tasks() + " tasks ended; broker " + victim + " down 15 s");
      long during = run.accounted();
      TimeUnit.SECONDS.sleep(15); // the outage lasts while the load flows
      run.note("ended while the broker was down", Long.toString(run.accounted() - during));
      Instant back = Instant.now();
      kafka.startBroker(victim);
      run.recovered(Duration.between(back, awaitFullyReplicated(kafka, p, Duration.ofMinutes(2))));
      run.note("recovery", "restart to every partition of the catalogue back in sync (ISR 3)");
      run.verify(
              "30 applications at 20 tasks/s, 3 brokers",
              "stop 1 of 3 brokers for 15 s, restart",
              Duration.ofMinutes(4))
          .assertHeld();
    }
  }

  /** Waits until every catalogue partition has its full ISR again; returns when. */
  private static Instant awaitFullyReplicated(KafkaCluster kafka, Pipeline p, Duration max)
      throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    List<String> names = p.topics().stream().map(t -> t.name()).toList();
    try (Admin admin = kafka.admin()) {
      while (System.nanoTime() < deadline) {
        Map<String, TopicDescription> d =
            admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
        boolean full =
            d.values().stream()
                .flatMap(t -> t.partitions().stream())
                .allMatch(pi -> pi.isr().size() == pi.replicas().size());
        if (full) {
          return Instant.now();
        }
        TimeUnit.MILLISECONDS.sleep(250); // polling the cluster's metadata
      }
    }
    throw new AssertionError(
        "partitions still under-replicated " + max + " after the broker came back");
  }
}
