package dev.agentyard.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.ModelTier;
import dev.agentyard.workers.provider.TokenUsage;
import dev.agentyard.workers.resilience.CallAttempt;
import dev.agentyard.workers.resilience.ModelRef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final WorkerMetrics metrics = new WorkerMetrics(registry);
  final ModelRef fallback = new ModelRef("openai", "gpt-4o-mini", 128_000, ModelTier.SMALL);

  @Test
  void aModelCallIsRecordedUnderTheGenAiNamesWithTokensByType() {
    Instant t0 = Instant.parse("2026-11-21T12:00:00Z");
    metrics.call(
        "income",
        new CallAttempt(
            "a-1",
            fallback,
            "claude-haiku-4-5",
            3,
            true,
            CallOutcome.SUCCESS,
            new TokenUsage(1200, 300, 4000, 0),
            200,
            null,
            t0,
            t0.plusMillis(420)),
        1234);

    var duration =
        registry
            .get(WorkerMetrics.OPERATION_DURATION)
            .tags(
                "gen_ai.provider.name",
                "openai",
                "gen_ai.request.model",
                "claude-haiku-4-5",
                "gen_ai.response.model",
                "gpt-4o-mini",
                "agentyard.route",
                "income",
                "outcome",
                "success",
                "error.type",
                "none")
            .timer();
    assertThat(duration.count()).isEqualTo(1);
    assertThat(duration.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(420);
    assertThat(
            registry
                .get(WorkerMetrics.TOKEN_USAGE)
                .tags("gen_ai.token.type", "input")
                .summary()
                .totalAmount())
        .isEqualTo(1200);
    assertThat(
            registry
                .get(WorkerMetrics.TOKEN_USAGE)
                .tags("gen_ai.token.type", "cache_read")
                .summary()
                .totalAmount())
        .isEqualTo(4000);
    assertThat(
            registry
                .find(WorkerMetrics.TOKEN_USAGE)
                .tags("gen_ai.token.type", "cache_write")
                .summary())
        .isNull();
    assertThat(registry.get(WorkerMetrics.COST).counter().count()).isEqualTo(1234);
  }

  @Test
  void aFailedCallIsTaggedWithItsErrorType() {
    Instant t0 = Instant.parse("2026-11-21T12:00:00Z");
    metrics.call(
        "income",
        new CallAttempt(
            "a-1",
            fallback,
            "gpt-4o-mini",
            1,
            false,
            CallOutcome.RATE_LIMITED,
            TokenUsage.ZERO,
            429,
            "openai HTTP 429",
            t0,
            t0.plusMillis(30)),
        0);
    assertThat(
            registry
                .get(WorkerMetrics.OPERATION_DURATION)
                .tags("error.type", "rate_limited")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void tasksToolsRetriesAndDeadLettersAreCountedByOutcomeAndReason() {
    metrics.task("income", "completed");
    metrics.task("income", "completed");
    metrics.tool("income", "compute_dti", "hallucinated");
    metrics.retry("income", "rate_limited");
    metrics.deadLetter("income", "RETRIES_EXHAUSTED");
    metrics.inFlight("income", () -> 7);
    assertThat(registry.get(WorkerMetrics.TASKS).tags("outcome", "completed").counter().count())
        .isEqualTo(2);
    assertThat(
            registry
                .get(WorkerMetrics.TOOL_CALLS)
                .tags("tool", "compute_dti", "outcome", "hallucinated")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get(WorkerMetrics.RETRIES).tags("reason", "rate_limited").counter().count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(WorkerMetrics.DEAD_LETTERS)
                .tags("reason", "RETRIES_EXHAUSTED")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(registry.get(WorkerMetrics.IN_FLIGHT).gauge().value()).isEqualTo(7);
  }
}
