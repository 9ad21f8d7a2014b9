package dev.agentyard.workers;

import dev.agentyard.runtime.metrics.Meters;
import dev.agentyard.workers.provider.ProviderException;
import dev.agentyard.workers.provider.StreamObserver;
import dev.agentyard.workers.provider.TokenUsage;
import dev.agentyard.workers.resilience.CallAttempt;
import dev.agentyard.workers.resilience.ModelRef;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every meter of the agent workers. Model calls follow the OpenTelemetry GenAI semantic conventions
 * ({@code gen_ai.client.token.usage}, {@code gen_ai.client.operation.duration} with {@code
 * gen_ai.*} tags, and for streamed calls {@code gen_ai.client.operation.time_to_first_chunk} and
 * {@code time_per_output_chunk}); {@code gen_ai.token.type} adds {@code cache_read}, {@code
 * cache_write} (5-minute) and {@code cache_write_1h} to the convention's {@code input} and {@code
 * output}, because those are priced differently.
 */
public final class WorkerMetrics {

  public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";

  /** Bucket bounds of {@link #OPERATION_DURATION}, as the GenAI conventions advise (seconds). */
  static final Duration[] DURATION_BUCKETS =
      java.util.stream.DoubleStream.of(
              0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96,
              81.92)
          .mapToObj(s -> Duration.ofNanos((long) (s * 1e9)))
          .toArray(Duration[]::new);

  public static final String TASKS = "agentyard.worker.tasks";
  public static final String TOOL_CALLS = "agentyard.worker.tool.calls";
  public static final String RETRIES = "agentyard.worker.retries";
  public static final String DEAD_LETTERS = "agentyard.worker.dead.letters";
  public static final String SKIPPED_CALLS = "agentyard.worker.calls.skipped";
  public static final String IN_FLIGHT = "agentyard.worker.in.flight";
  public static final String COST = "agentyard.worker.cost.micro.usd";
  public static final String RESUMED_RUNS = "agentyard.worker.journal.resumed.runs";
  public static final String RESUMED_STEPS = "agentyard.worker.journal.resumed.steps";
  public static final String TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";
  public static final String TIME_PER_OUTPUT_CHUNK =
      "gen_ai.client.operation.time_per_output_chunk";
  public static final String PROVIDER_PAUSED = "agentyard.worker.provider.paused";
  public static final String PROVIDER_PAUSES = "agentyard.worker.provider.pauses";

  private static final Logger log = LoggerFactory.getLogger(WorkerMetrics.class);

  private final MeterRegistry registry;
  private final Meters meters;
  private final Map<String, Instant> pausedUntil = new ConcurrentHashMap<>();

  public WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.meters = new Meters(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The streamed-chunk timing meters, as the provider clients report it. */
  public StreamObserver streams() {
    return new StreamObserver() {
      @Override
      public void firstChunk(String provider, String model, Duration sinceSent) {
        chunkTimer(
                TIME_TO_FIRST_CHUNK,
                "Time from sending a streamed call to its first chunk",
                provider,
                model)
            .record(sinceSent);
      }

      @Override
      public void nextChunk(String provider, String model, Duration sincePrevious) {
        chunkTimer(
                TIME_PER_OUTPUT_CHUNK,
                "Time between the output chunks of a streamed call",
                provider,
                model)
            .record(sincePrevious);
      }
    };
  }

  private Timer chunkTimer(String name, String description, String provider, String model) {
    return Timer.builder(name)
        .description(description)
        .tags(
            "gen_ai.operation.name",
            "chat",
            "gen_ai.provider.name",
            provider,
            "gen_ai.request.model",
            model)
        .register(registry);
  }

  /**
   * A provider was paused because its quota or credit ran out: {@value #PROVIDER_PAUSED} is 1 until
   * {@code until} (the alert), {@value #PROVIDER_PAUSES} counts the pauses.
   */
  public void paused(String provider, Instant until, ProviderException why) {
    pausedUntil.put(provider, until);
    pauseGauge(provider);
    meters
        .counter(
            PROVIDER_PAUSES,
            "Provider pauses because quota or credit ran out",
            "gen_ai.provider.name",
            provider,
            "reason",
            "quota_exhausted")
        .increment();
    log.error(
        "Provider {} is out of quota or credit ({}); not calling it until {}. Top up or raise the"
            + " limit, then nothing else is needed: docs/runbooks/providers.md",
        provider,
        why.getMessage(),
        until);
  }

  /** Registers the pause gauges of the configured providers at 0, so the alert sees them. */
  public void providers(java.util.Collection<String> providers) {
    providers.forEach(this::pauseGauge);
  }

  private void pauseGauge(String provider) {
    Gauge.builder(
            PROVIDER_PAUSED,
            pausedUntil,
            m -> {
              Instant u = m.get(provider);
              return u != null && Instant.now().isBefore(u) ? 1 : 0;
            })
        .description("1 while a provider is paused because its quota or credit ran out")
        .tags("gen_ai.provider.name", provider, "reason", "quota_exhausted")
        .register(registry);
  }

  /** One model call that was sent. */
  public void call(String route, CallAttempt a, long costMicroUsd) {
    ModelRef m = a.model();
    String outcome = a.outcome().name().toLowerCase(Locale.ROOT);
    Timer.builder(OPERATION_DURATION)
        .description("Duration of model calls")
        // the GenAI semantic conventions' buckets; a bucket's exemplar names a call's trace
        .serviceLevelObjectives(DURATION_BUCKETS)
        .tags(
            "gen_ai.operation.name",
            "chat",
            "gen_ai.provider.name",
            m.provider(),
            "gen_ai.request.model",
            a.requestedModel(),
            "gen_ai.response.model",
            m.model(),
            "agentyard.route",
            route,
            "outcome",
            outcome,
            "error.type",
            a.error() == null ? "none" : outcome)
        .register(registry)
        .record(Duration.between(a.startedAt(), a.completedAt()));
    TokenUsage u = a.usage();
    tokens(route, a, "input", u.input());
    tokens(route, a, "output", u.output());
    tokens(route, a, "cache_read", u.cacheRead());
    tokens(route, a, "cache_write", u.cacheWrite() - u.cacheWrite1h());
    tokens(route, a, "cache_write_1h", u.cacheWrite1h());
    meters
        .counter(
            COST,
            "Cost of model calls in micro-USD",
            "agentyard.route",
            route,
            "gen_ai.provider.name",
            m.provider(),
            "gen_ai.response.model",
            m.model())
        .increment(costMicroUsd);
  }

  private void tokens(String route, CallAttempt a, String type, long n) {
    if (n == 0 && !type.equals("input") && !type.equals("output")) {
      return;
    }
    DistributionSummary.builder(TOKEN_USAGE)
        .description("Tokens used per model call")
        .baseUnit("{token}")
        .tags(
            "gen_ai.operation.name",
            "chat",
            "gen_ai.provider.name",
            a.model().provider(),
            "gen_ai.request.model",
            a.requestedModel(),
            "gen_ai.response.model",
            a.model().model(),
            "gen_ai.token.type",
            type,
            "agentyard.route",
            route)
        .register(registry)
        .record(n);
  }

  /**
   * A task ended: {@code completed}, {@code review}, {@code retry}, {@code dead_letter} or {@code
   * duplicate}.
   */
  public void task(String route, String outcome) {
    meters
        .counter(TASKS, "Tasks by how they ended", "agentyard.route", route, "outcome", outcome)
        .increment();
  }

  public void tool(String route, String tool, String outcome) {
    meters
        .counter(
            TOOL_CALLS,
            "Tool calls by outcome (ok, error, hallucinated, irreversible)",
            "agentyard.route",
            route,
            "tool",
            tool,
            "outcome",
            outcome)
        .increment();
  }

  /** A run resumed from its journal, with the steps it found there. */
  public void resumed(String route, int steps) {
    meters
        .counter(RESUMED_RUNS, "Runs resumed from their journal", "agentyard.route", route)
        .increment();
    meters
        .counter(
            RESUMED_STEPS,
            "Journaled steps found by resumed runs (calls and tools not repeated)",
            "agentyard.route",
            route)
        .increment(steps);
  }

  public void retry(String route, String reason) {
    meters
        .counter(
            RETRIES,
            "Tasks sent to a delay topic, by reason",
            "agentyard.route",
            route,
            "reason",
            reason)
        .increment();
  }

  public void deadLetter(String route, String reason) {
    meters
        .counter(
            DEAD_LETTERS,
            "Records dead-lettered, by reason",
            "agentyard.route",
            route,
            "reason",
            reason)
        .increment();
  }

  public void skipped(ModelRef model, ProviderException.Kind why) {
    meters
        .counter(
            SKIPPED_CALLS,
            "Model calls not sent (breaker open or throttled)",
            "gen_ai.provider.name",
            model.provider(),
            "gen_ai.request.model",
            model.model(),
            "reason",
            why.name().toLowerCase(Locale.ROOT))
        .increment();
  }

  public void inFlight(String route, Supplier<Number> value) {
    Gauge.builder(IN_FLIGHT, value)
        .description("Tasks in flight")
        .tag("agentyard.route", route)
        .register(registry);
  }
}
