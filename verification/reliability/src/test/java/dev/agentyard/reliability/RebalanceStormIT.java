package dev.agentyard.reliability;

import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.OwnCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 6: a rebalance storm — worker instances added and removed (gracefully and with SIGKILL)
 * every few seconds while tasks flow, so partitions move again and again with calls in flight.
 */
@Tag("reliability")
@OwnCluster
@ExtendWith(KafkaAndRegistryExtension.class)
class RebalanceStormIT {

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void workersComingAndGoingDuringLoadLoseAndDoubleNothing(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    Path dir = ReliabilityReport.scenarioDir("rebalance-storm");
    try (Pipeline p =
            Pipeline.start(
                "rebalance-storm",
                kafka,
                registry,
                dir,
                Map.of("sim.default.latency", "300ms"),
                Map.of());
        ScenarioRun run = ScenarioRun.begin(p, 30)) {
      run.publish(15);
      run.awaitAccounted(10, Duration.ofMinutes(2));
      List<Service> live = new ArrayList<>(p.workers());
      List<String> steps = new ArrayList<>();
      // add, add, stop, kill, add, freeze, stop: seven membership changes, one every 3 s or so,
      // each rebalancing every route group; the freeze stops an instance (SIGSTOP) past its session
      // timeout with calls and commits in flight while another instance takes its partitions, then
      // thaws it: a zombie that must be fenced (its transaction aborted, the partitions' endings
      // written by their new owner only)
      for (int i = 0; i < 7; i++) {
        switch (i) {
          case 0, 1, 4 -> {
            live.add(p.addWorker());
            steps.add("+1");
          }
          case 3 -> {
            live.remove(0).kill();
            steps.add("kill -9");
          }
          case 5 -> {
            Service zombie = live.get(0);
            zombie.freeze();
            TimeUnit.SECONDS.sleep(10); // past the 6 s session timeout: the group moves on
            zombie.thaw();
            steps.add("SIGSTOP 10 s, SIGCONT");
          }
          default -> {
            live.remove(0).stop();
            steps.add("stop");
          }
        }
        TimeUnit.SECONDS.sleep(3); // tasks flow between membership changes
      }
      Instant settled = Instant.now();
      run.note(
          "membership changes",
          String.join(", ", steps) + "; " + live.size() + " instances at the end");
      run.measureRecovery(settled, Set.of(Topics.RESULTS.name()), true, Duration.ofMinutes(2));
      run.verify(
              "30 applications at 15 tasks/s, 300 ms calls",
              "7 worker membership changes in ~45 s (3 joins, 2 SIGTERM, 1 SIGKILL, 1 frozen 10 s and thawed: a zombie)",
              Duration.ofMinutes(4))
          .assertHeld();
    }
  }
}
