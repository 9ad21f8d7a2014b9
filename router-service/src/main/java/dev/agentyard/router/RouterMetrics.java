package dev.agentyard.router;

import dev.agentyard.avro.ModelTier;
import dev.agentyard.avro.ReviewReason;
import dev.agentyard.avro.RoutingMethod;
import dev.agentyard.router.classify.Classification;
import dev.agentyard.router.content.DocumentLoader;
import dev.agentyard.runtime.deadletter.DeadLetterReason;
import dev.agentyard.runtime.metrics.Meters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Every meter the router publishes, in one place. Counters are per process: after a crash the
 * re-processed records count again here, while the topics stay exact (EOS).
 */
public final class RouterMetrics {

  static final String ROUTED = "agentyard.router.tasks.routed";
  static final String REVIEW = "agentyard.router.review.items";
  static final String DEAD_LETTERS = "agentyard.router.dead.letters";
  static final String CONFIDENCE = "agentyard.router.classifier.confidence";
  static final String LATENCY = "agentyard.router.classification.latency";
  static final String DUPLICATES = "agentyard.router.duplicates";
  static final String HINTS_REJECTED = "agentyard.router.hints.rejected";
  static final String INJECTION = "agentyard.router.injection.findings";
  static final String FAN_OUT_SKIPPED = "agentyard.router.fan.out.skipped";
  static final String TRIAGE = "agentyard.router.triage.verdicts";
  static final String LABELS = "agentyard.router.labels.written";
  static final String MODEL_SWAPS = "agentyard.router.classifier.replacements";
  static final String MODEL_INFO = "agentyard.router.classifier.model";
  static final String PDF_CACHE = "agentyard.router.pdf.text.cache";

  private final Meters meters;
  private final DistributionSummary confidence;
  private final Timer latency;
  private Gauge modelInfo;

  public RouterMetrics(MeterRegistry registry) {
    this.meters = new Meters(registry);
    this.confidence =
        DistributionSummary.builder(CONFIDENCE)
            .description("Classifier confidence of its top class, per document")
            .serviceLevelObjectives(0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)
            .register(registry);
    this.latency =
        Timer.builder(LATENCY)
            .description("Time to classify one document (tokenizing included)")
            .serviceLevelObjectives(
                Duration.ofNanos(50_000),
                Duration.ofNanos(100_000),
                Duration.ofNanos(250_000),
                Duration.ofNanos(500_000),
                Duration.ofMillis(1),
                Duration.ofMillis(5))
            .publishPercentiles(0.5, 0.99)
            .register(registry);
  }

  public MeterRegistry registry() {
    return meters.registry();
  }

  private Counter counter(String name, String description, String... tags) {
    return meters.counter(name, description, tags);
  }

  /**
   * Hits and misses of the extracted-PDF-text cache ({@code router.document.pdf-cache-chars}), read
   * from the loader when scraped.
   */
  public void pdfTextCache(DocumentLoader loader) {
    if (loader.pdfCacheStats().isEmpty()) {
      return;
    }
    for (String result : List.of("hit", "miss")) {
      FunctionCounter.builder(
              PDF_CACHE,
              loader,
              l ->
                  l.pdfCacheStats()
                      .map(s -> result.equals("hit") ? s.hitCount() : s.missCount())
                      .orElse(0L))
          .description("PDF documents whose text came from the cache (hit) or was extracted (miss)")
          .tag("result", result)
          .register(registry());
    }
  }

  public void classified(Classification c) {
    confidence.record(c.confidence());
    latency.record(c.nanos(), TimeUnit.NANOSECONDS);
  }

  public void routed(String route, ModelTier tier, RoutingMethod method) {
    counter(
            ROUTED,
            "Tasks written to a route topic, by route, model tier and what decided",
            "route",
            route,
            "tier",
            tier.name(),
            "decision",
            method.name().toLowerCase(Locale.ROOT))
        .increment();
  }

  public void review(ReviewReason reason) {
    counter(REVIEW, "Tasks the router sent to human review, by reason", "reason", reason.name())
        .increment();
  }

  public void deadLetter(DeadLetterReason reason) {
    counter(DEAD_LETTERS, "Tasks the router dead-lettered, by reason", "reason", reason.name())
        .increment();
  }

  public void duplicate() {
    counter(
            DUPLICATES,
            "Tasks not routed again because their task id was routed within the de-duplication window")
        .increment();
  }

  public void hintRejected() {
    counter(HINTS_REJECTED, "Upstream route hints ignored because they name no registered route")
        .increment();
  }

  public void injection(List<String> rules) {
    rules.forEach(
        r ->
            counter(INJECTION, "Prompt-injection rules that matched a document", "rule", r)
                .increment());
  }

  public void fanOutSkipped(String route) {
    counter(
            FAN_OUT_SKIPPED,
            "Fan-out copies not sent because the secondary route is disabled or paused",
            "route",
            route)
        .increment();
  }

  /**
   * A triage verdict arrived (applied), or a document waited too long for one (expired), or one
   * came for no waiting task.
   */
  public void triage(String outcome) {
    counter(
            TRIAGE,
            "Triage verdicts by outcome: applied, expired, unknown_task, withdrawn",
            "outcome",
            outcome)
        .increment();
  }

  /** A labelled example was written (source: TRIAGE). */
  public void labelled(String source) {
    counter(LABELS, "Labelled examples written to agent.router.labels.v1", "source", source)
        .increment();
  }

  /**
   * The classifier in force: a gauge of 1 tagged with its version (the one before is removed), and
   * a count of replacements after the first.
   */
  public synchronized void classifierInForce(String version) {
    if (modelInfo != null) {
      registry().remove(modelInfo);
      counter(MODEL_SWAPS, "Times the classifier in force was replaced (promotion or rollback)")
          .increment();
    }
    modelInfo =
        Gauge.builder(MODEL_INFO, () -> 1)
            .description("The classifier in force, by version (always 1)")
            .tag("version", version)
            .register(registry());
  }
}
