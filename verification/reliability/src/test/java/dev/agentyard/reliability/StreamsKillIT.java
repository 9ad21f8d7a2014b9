package dev.agentyard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.OwnCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 2: the two Kafka Streams services (exactly-once) killed with SIGKILL mid-stream and
 * restarted.
 */
@Tag("reliability")
@OwnCluster(perTest = true)
@ExtendWith(KafkaAndRegistryExtension.class)
class StreamsKillIT {

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void theRouterKilledMidStreamRoutesEveryTaskExactlyOnceAfterItsRestart(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    Path dir = ReliabilityReport.scenarioDir("router-kill");
    try (Pipeline p = Pipeline.start("router-kill", kafka, registry, dir, Map.of(), Map.of());
        ScenarioRun run = ScenarioRun.begin(p, 30)) {
      // slow enough that tasks are still arriving while the router is down: its recovery shows
      run.publish(10);
      run.awaitAccounted(15, Duration.ofMinutes(2));
      p.router().kill();
      run.note("killed at", run.accounted() + " of " + run.tasks() + " tasks ended");
      Instant restarted = Instant.now();
      p.router().start();
      Set<String> routed =
          Topics.DEFAULT_ROUTES.stream()
              .map(r -> "agent.route." + r + ".v1")
              .collect(Collectors.toSet());
      run.measureRecovery(restarted, routed, false, Duration.ofMinutes(2));
      run.verify(
              "30 applications at 10 tasks/s",
              "SIGKILL the router JVM after 15 ends, restart",
              Duration.ofMinutes(3))
          .assertHeld();
    }
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void theCostAggregatorKilledMidStreamBillsEveryCallExactlyOnceAfterItsRestart(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    Path dir = ReliabilityReport.scenarioDir("cost-kill");
    try (Pipeline p = Pipeline.start("cost-kill", kafka, registry, dir, Map.of(), Map.of());
        ScenarioRun run = ScenarioRun.begin(p, 30)) {
      run.publish(30);
      run.awaitAccounted(30, Duration.ofMinutes(2));
      p.cost().kill();
      run.note("killed at", run.accounted() + " of " + run.tasks() + " tasks ended");
      Instant restarted = Instant.now();
      p.cost().start().awaitReady(Pipeline.READY);
      Duration back = Duration.between(restarted, Instant.now());
      run.recovered(back);
      run.note(
          "recovery", "restart to ready (state restored from the changelog, answering queries)");
      Row row =
          run.verify(
                  "30 applications at 30 tasks/s",
                  "SIGKILL the cost-aggregator JVM after 30 ends, restart",
                  Duration.ofMinutes(3))
              .assertHeld();
      assertThat(row.costDriftMicroUsd()).isZero();
    }
  }
}
