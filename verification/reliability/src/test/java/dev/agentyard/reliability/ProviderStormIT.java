package dev.agentyard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.simulator.FaultKind;
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
 * Scenario 4: the provider misbehaves in every way at once — 30 % 429 with retry-after on every
 * model, timeouts, malformed bodies, refusals, a small context window on the cheap model, and a 5xx
 * burst on every model that opens the breakers.
 */
@Tag("reliability")
@OwnCluster
@ExtendWith(KafkaAndRegistryExtension.class)
class ProviderStormIT {

  @Test
  @Timeout(value = 7, unit = TimeUnit.MINUTES)
  void everyTaskEndsOnceAndEveryCallIsBilledThroughAProviderStorm(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    Path dir = ReliabilityReport.scenarioDir("provider-storm");
    Map<String, String> storm =
        Map.of(
            "sim.default.fault.429",
            "0.30",
            "sim.default.retry-after",
            "1s",
            "sim.default.fault.timeout",
            "0.02",
            "sim.default.timeout-delay",
            "8s",
            "sim.default.fault.malformed",
            "0.03",
            "sim.default.fault.refusal",
            "0.02",
            "sim.model.claude-haiku-4-5.context-window",
            "1200");
    try (Pipeline p =
            Pipeline.start(
                "provider-storm",
                kafka,
                registry,
                dir,
                storm,
                Map.of(
                    "workers",
                    Map.of(
                        "worker.provider.anthropic.timeout",
                        "3s",
                        "worker.provider.openai.timeout",
                        "3s")));
        ScenarioRun run = ScenarioRun.begin(p, 24)) {
      run.publish(30);
      run.awaitAccounted(20, Duration.ofMinutes(2));
      p.simulator().storm(Map.of(FaultKind.SERVER_ERROR, 0.5, FaultKind.UNAVAILABLE, 0.5));
      TimeUnit.SECONDS.sleep(6); // the 5xx burst lasts while tasks flow
      p.simulator().calm();
      Instant calm = Instant.now();
      run.measureRecovery(calm, Set.of(Topics.RESULTS.name()), true, Duration.ofMinutes(2));
      Row row =
          run.verify(
                  "24 applications at 30 tasks/s",
                  "429 30 % (retry-after 1 s), timeouts 2 %, malformed 3 %, refusals 2 %, "
                      + "context window 1,200 on the cheap model, 6 s burst of 100 % 5xx",
                  Duration.ofMinutes(4))
              .assertHeld();
      // the storm really hit: the breakers opened (calls skipped without being sent) and fallbacks
      // answered
      String metrics = p.workers().get(0).get("/metrics").orElseThrow().body();
      assertThat(metrics)
          .containsPattern("agentyard_worker_calls_skipped_total\\{[^}]*reason=\"circuit_open\"");
      assertThat(row.notes().get("model calls")).isNotBlank();
    }
  }
}
