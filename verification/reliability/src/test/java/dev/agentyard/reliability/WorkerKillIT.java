package dev.agentyard.reliability;

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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 1: the worker process is killed with SIGKILL while a batch of model calls is in flight,
 * then restarted.
 */
@Tag("reliability")
@OwnCluster
@ExtendWith(KafkaAndRegistryExtension.class)
class WorkerKillIT {

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void aWorkerKilledMidBatchLosesNothingDoublesNothingAndBillsEveryCall(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    Path dir = ReliabilityReport.scenarioDir("worker-kill");
    // slow calls, so the kill catches many in flight
    try (Pipeline p =
            Pipeline.start(
                "worker-kill",
                kafka,
                registry,
                dir,
                Map.of("sim.default.latency", "400ms"),
                Map.of());
        ScenarioRun run = ScenarioRun.begin(p, 24)) {
      run.publish(40);
      run.awaitAccounted(20, Duration.ofMinutes(2));
      Service worker = p.workers().get(0);
      long before = run.accounted();
      worker.kill();
      run.note("killed at", before + " of " + run.tasks() + " tasks ended");
      Instant restarted = Instant.now();
      worker.start();
      run.measureRecovery(restarted, Set.of(Topics.RESULTS.name()), true, Duration.ofMinutes(2));
      run.verify(
              "24 applications at 40 tasks/s, 400 ms calls",
              "SIGKILL the worker JVM after 20 ends, restart",
              Duration.ofMinutes(3))
          .assertHeld();
    }
  }
}
