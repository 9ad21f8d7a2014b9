package dev.agentyard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.local.ChildJvm;
import dev.agentyard.simulator.FaultKind;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.OwnCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 7: a provider outage dead-letters a whole batch; once it is over, on-call replays them
 * with the console, whose process is killed with SIGKILL halfway; running the same command again
 * finishes the job. Every dead letter is replayed exactly once and every replayed task ends once.
 */
@Tag("reliability")
@OwnCluster
@ExtendWith(KafkaAndRegistryExtension.class)
class ReplayResumeIT {

  @Test
  @Timeout(value = 7, unit = TimeUnit.MINUTES)
  void aReplayKilledHalfwayAndRunAgainReplaysEachDeadLetterExactlyOnce(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    Path dir = ReliabilityReport.scenarioDir("replay-resume");
    try (Pipeline p = Pipeline.start("replay-resume", kafka, registry, dir, Map.of(), Map.of());
        ScenarioRun run = ScenarioRun.begin(p, 8)) {
      // the provider is down for the whole first pass: every task that reaches a model is
      // dead-lettered after its retries
      p.simulator().storm(Map.of(FaultKind.UNAVAILABLE, 1.0));
      run.publish(40);
      run.awaitAllAccounted(Duration.ofMinutes(3));
      p.simulator().calm();
      List<Long> copiesPerRun = new ArrayList<>();
      Row row =
          run.verify(
                  "8 applications at 40 tasks/s",
                  "provider down (100 % 503) for the first pass; the replay's process "
                      + "SIGKILLed after its first batches, then run again",
                  Duration.ofMinutes(4),
                  args -> {
                    List<String> slow = new ArrayList<>(args);
                    // small paced batches, so the kill lands between committed batches
                    int rate = slow.indexOf("--rate");
                    slow.set(rate + 1, "4");
                    slow.addAll(0, List.of("-D", "dlq.replay.batch-size=3"));
                    Path log = dir.resolve("logs/dlq-replay.log");
                    ChildJvm first =
                        ChildJvm.start(
                            "dev.agentyard.dlq.DlqCli", List.of("-Xmx256m"), slow, Map.of(), log);
                    first.awaitLine(
                        "  replayed ", 120_000); // a progress line: at least one batch committed
                    first.kill();
                    long afterKill = countReplayed(log);
                    copiesPerRun.add(afterKill);
                    ChildJvm second =
                        ChildJvm.start(
                            "dev.agentyard.dlq.DlqCli",
                            List.of("-Xmx256m"),
                            slow,
                            Map.of(),
                            dir.resolve("logs/dlq-replay-2.log"));
                    second.awaitLine("SUCCEEDED", 180_000);
                    second.close();
                    return Files.readString(log)
                        + Files.readString(dir.resolve("logs/dlq-replay-2.log"));
                  })
              .assertHeld();
      run.note(
          "replay interrupted", "first run SIGKILLed after its progress reported " + copiesPerRun);
      assertThat(row.replayed()).isGreaterThan(10);
    }
  }

  private static long countReplayed(Path log) throws IOException {
    return Files.readAllLines(log).stream().filter(l -> l.startsWith("  replayed ")).count();
  }
}
