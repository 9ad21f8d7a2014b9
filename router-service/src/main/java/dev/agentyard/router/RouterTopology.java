package dev.agentyard.router;

import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.InlineText;
import dev.agentyard.avro.ResultStatus;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.ReviewReason;
import dev.agentyard.avro.RouteLabel;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.router.content.DocumentException;
import dev.agentyard.router.content.DocumentLoader;
import dev.agentyard.router.content.LoadedDocument;
import dev.agentyard.router.learn.RouteLabels;
import dev.agentyard.router.routing.RouteSpec;
import dev.agentyard.router.routing.RoutingDecision;
import dev.agentyard.router.routing.RoutingEngine;
import dev.agentyard.router.routing.TriageVerdict;
import dev.agentyard.runtime.tracing.TraceParent;
import dev.agentyard.runtime.tracing.Tracing;
import dev.agentyard.schemas.topics.Topics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's topology, run with exactly-once v2 so every task's outputs, its de-duplication
 * entry, its triage bookkeeping and its input offset commit together:
 *
 * <pre>
 * agent.tasks.v1 ──▶ de-duplicate (window store) ─▶ load document ─▶ RoutingEngine ──┬─▶ agent.route.&lt;r&gt;.v1 (+ fan-out)
 *                                                                                   ├─▶ agent.review.v1
 *                     (sent to triage: remembered in the pending store) ◀───────────┘
 * agent.results.v1 (route = triage) ─▶ verdict as a trusted hint ─▶ RoutingEngine ─▶ (same outputs)
 * agent.review.v1 (worker review of a triage task) ─▶ repartition ─▶ forget the pending task
 *                    (a trusted verdict for a route with a class) ─▶ agent.router.labels.v1
 * every sweep: pending tasks with no verdict within router.triage.timeout ─▶ agent.review.v1
 * </pre>
 *
 * A document that cannot be used throws {@link DocumentException}; the dead-letter handler writes
 * the original record to {@code agent.tasks.v1.dlq} in the same transaction, reason in headers.
 */
public final class RouterTopology {

  public static final String DEDUP_STORE = "router-dedup";
  public static final String PENDING_STORE = "router-triage-pending";

  private static final Logger log = LoggerFactory.getLogger(RouterTopology.class);

  /** The Avro serdes the topology needs, configured by the caller. */
  public record Serdes5(
      Serde<TaskSubmitted> task,
      Serde<RoutedTask> routed,
      Serde<ReviewItem> review,
      Serde<AgentResult> result,
      Serde<RouteLabel> label) {}

  private RouterTopology() {}

  /**
   * @param taskPartitions partitions of {@code agent.tasks.v1} (and {@code agent.results.v1}); the
   *     worker review items of triage tasks are repartitioned to match
   */
  public static Topology build(
      RouterConfig config,
      Serdes5 serdes,
      DocumentLoader loader,
      RoutingEngine engine,
      RouterMetrics metrics,
      int taskPartitions,
      Spans spans) {
    StreamsBuilder builder = new StreamsBuilder();
    Serde<String> keys = Serdes.String();
    Duration window = config.dedupWindow();
    builder.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(
                DEDUP_STORE, window.multipliedBy(2), window.multipliedBy(2), false),
            keys,
            Serdes.Long()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(PENDING_STORE), keys, serdes.routed()));
    String triage = config.routes().triageRoute();

    KStream<String, SpecificRecord> fromTasks =
        builder.stream(Topics.TASKS.name(), Consumed.with(keys, serdes.task()).withName("tasks"))
            .process(
                () -> new TaskRouter(loader, engine, metrics, window, triage, spans),
                Named.as("route-tasks"),
                DEDUP_STORE,
                PENDING_STORE);

    KStream<String, SpecificRecord> fromTriage =
        builder.stream(
                Topics.RESULTS.name(), Consumed.with(keys, serdes.result()).withName("results"))
            .filter(
                (k, r) ->
                    r != null
                        && triage.equals(r.getRoute())
                        && r.getStatus() != ResultStatus.REJECTED,
                Named.as("triage-results"))
            .process(
                () ->
                    new TriageVerdictProcessor(
                        engine,
                        metrics,
                        config.triageTimeout(),
                        config.triageSweepInterval(),
                        config.labels(),
                        spans),
                Named.as("apply-triage-verdicts"),
                PENDING_STORE);

    builder.stream(Topics.REVIEW.name(), Consumed.with(keys, serdes.review()).withName("reviews"))
        .filter(
            (k, r) ->
                r != null
                    && triage.equals(r.getRoute())
                    && !RoutingEngine.STAGE.equals(r.getStage()),
            Named.as("triage-reviews"))
        .selectKey((k, r) -> r.getTaskId(), Named.as("key-by-task"))
        .repartition(
            Repartitioned.<String, ReviewItem>as("triage-reviews")
                .withKeySerde(keys)
                .withValueSerde(serdes.review())
                .withNumberOfPartitions(taskPartitions))
        .process(() -> new TriageWithdrawal(metrics), Named.as("withdraw-triage"), PENDING_STORE);

    KStream<String, SpecificRecord> out = fromTasks.merge(fromTriage, Named.as("decisions"));
    out.filter((k, v) -> v instanceof RoutedTask, Named.as("routed"))
        .mapValues(v -> (RoutedTask) v, Named.as("as-routed"))
        .to(
            (k, v, ctx) -> engine.routes().get(v.getRoute()).orElseThrow().topic(),
            Produced.with(keys, serdes.routed()).withName("to-routes"));
    out.filter((k, v) -> v instanceof ReviewItem, Named.as("reviewed"))
        .mapValues(v -> (ReviewItem) v, Named.as("as-review"))
        .to(Topics.REVIEW.name(), Produced.with(keys, serdes.review()).withName("to-review"));
    fromTriage
        .filter((k, v) -> v instanceof RouteLabel, Named.as("labelled"))
        .mapValues(v -> (RouteLabel) v, Named.as("as-label"))
        .to(Topics.ROUTE_LABELS.name(), Produced.with(keys, serdes.label()).withName("to-labels"));
    return builder.build();
  }

  /** How the router's decisions become spans (off: nothing recorded, the header still travels). */
  public record Spans(Tracing tracing, String group) {
    public static final Spans OFF = new Spans(Tracing.off(), "");
  }

  static final AttributeKey<String> ROUTE = AttributeKey.stringKey("agentyard.route");
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("agentyard.router.method");
  static final AttributeKey<Double> CONFIDENCE =
      AttributeKey.doubleKey("agentyard.router.confidence");
  static final AttributeKey<String> CLASSIFIER =
      AttributeKey.stringKey("agentyard.router.classifier_version");
  static final AttributeKey<String> GUARD = AttributeKey.stringKey("agentyard.router.guard");
  static final AttributeKey<Boolean> DUPLICATE =
      AttributeKey.booleanKey("agentyard.router.duplicate");
  static final AttributeKey<String> TIER = AttributeKey.stringKey("agentyard.model_tier");
  static final AttributeKey<String> REVIEW = AttributeKey.stringKey("agentyard.review.reason");
  static final AttributeKey<List<String>> FAN_OUT =
      AttributeKey.stringArrayKey("agentyard.router.fan_out");

  /**
   * Opens a decision's span: the Kafka {@code process} span of the input (or, for a sweep, of
   * none), child of the span its {@code traceparent} names. The caller makes it current while it
   * decides (so the decision's metrics carry it as an exemplar) and ends it.
   */
  static Span begin(
      ProcessorContext<String, SpecificRecord> ctx, Record<String, ?> in, String key, Spans spans) {
    var meta = ctx.recordMetadata();
    return spans
        .tracing()
        .process(
            meta.map(m -> m.topic()).orElse("router-sweep"),
            meta.map(m -> m.partition()).orElse(-1),
            meta.map(m -> m.offset()).orElse(-1L),
            key,
            spans.group(),
            in.headers());
  }

  /** Marks a decision's span failed (the input is dead-lettered by the exception handler). */
  static void failed(Span span, RuntimeException e) {
    span.setAttribute(Tracing.ERROR_TYPE, e.getClass().getName());
    span.setStatus(StatusCode.ERROR);
  }

  /**
   * Writes a decision's outputs under its span ({@link #begin}), with what was decided — route,
   * method, confidence, classifier version, tier, fan-out, or the review reason. Each output gets a
   * {@code send} span under it, which the output names.
   */
  static void emit(
      ProcessorContext<String, SpecificRecord> ctx,
      Record<String, ?> in,
      String key,
      RoutingDecision decision,
      RoutingEngine engine,
      Spans spans,
      Span span) {
    List<SpecificRecord> values = new ArrayList<>();
    if (decision instanceof RoutingDecision.Routed r) {
      values.addAll(r.tasks());
    } else if (decision instanceof RoutingDecision.Review rv) {
      values.add(rv.item());
    }
    if (span.isRecording()) {
      describe(span, decision);
    }
    TraceParent parent = Tracing.traceParent(span, in.headers());
    for (SpecificRecord v : values) {
      Record<String, SpecificRecord> o = new Record<>(key, v, in.timestamp(), in.headers());
      parent.writeTo(o.headers());
      // Streams' own producer writes the record: its send span ends when it is handed over (the
      // write is settled with the task's transaction, which Streams commits on its own schedule)
      Tracing.settled(spans.tracing().publish(destination(v, engine), key, o.headers()), null);
      ctx.forward(o);
    }
  }

  private static String destination(SpecificRecord v, RoutingEngine engine) {
    return v instanceof RoutedTask r
        ? engine.routes().get(r.getRoute()).map(RouteSpec::topic).orElse(r.getRoute())
        : Topics.REVIEW.name();
  }

  private static void describe(Span span, RoutingDecision decision) {
    if (decision instanceof RoutingDecision.Routed r) {
      span.setAttribute(GUARD, "passed");
      RoutedTask p = r.primary();
      span.setAttribute(ROUTE, p.getRoute());
      span.setAttribute(METHOD, p.getDecision().getMethod().name());
      span.setAttribute(CONFIDENCE, p.getDecision().getConfidence());
      if (p.getDecision().getClassifierVersion() != null) {
        span.setAttribute(CLASSIFIER, p.getDecision().getClassifierVersion());
      }
      span.setAttribute(TIER, p.getModelTier().name());
      if (r.tasks().size() > 1) {
        span.setAttribute(
            FAN_OUT,
            r.tasks().subList(1, r.tasks().size()).stream().map(t -> t.getRoute()).toList());
      }
    } else if (decision instanceof RoutingDecision.Review rv) {
      span.setAttribute(REVIEW, rv.item().getReason().name());
      switch (rv.item().getReason()) {
        // the screen runs after the kill switches and before any route choice
        case INJECTION_SUSPECTED -> span.setAttribute(GUARD, "injection_suspected");
        case KILL_SWITCH -> {}
        default -> span.setAttribute(GUARD, "passed");
      }
      if (rv.item().getRoute() != null) {
        span.setAttribute(ROUTE, rv.item().getRoute());
      }
    }
  }

  /** Routes submitted tasks. */
  static final class TaskRouter
      implements Processor<String, TaskSubmitted, String, SpecificRecord> {
    private final DocumentLoader loader;
    private final RoutingEngine engine;
    private final RouterMetrics metrics;
    private final Duration window;
    private final String triage;
    private final Spans spans;
    private ProcessorContext<String, SpecificRecord> ctx;
    private WindowStore<String, Long> dedup;
    private KeyValueStore<String, RoutedTask> pending;

    TaskRouter(
        DocumentLoader loader,
        RoutingEngine engine,
        RouterMetrics metrics,
        Duration window,
        String triage,
        Spans spans) {
      this.spans = spans;
      this.loader = loader;
      this.engine = engine;
      this.metrics = metrics;
      this.window = window;
      this.triage = triage;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
      this.ctx = context;
      this.dedup = context.getStateStore(DEDUP_STORE);
      this.pending = context.getStateStore(PENDING_STORE);
    }

    @Override
    public void process(Record<String, TaskSubmitted> record) {
      TaskSubmitted task = record.value();
      if (task == null) {
        throw new DocumentException(
            DocumentException.Kind.MISSING, "tombstone on the tasks topic: no task to route");
      }
      String taskId = task.getTaskId();
      long ts = record.timestamp();
      Span span = begin(ctx, record, taskId, spans);
      if (span.isRecording() && TraceParent.from(record.headers()).isEmpty()) {
        // a task published without a trace starts one here: should it fail, its dead letter (which
        // keeps the input's headers) names this trace, where the failed decision is
        Tracing.traceParent(span, record.headers()).writeTo(record.headers());
      }
      try (Scope current = span.makeCurrent()) {
        try (WindowStoreIterator<Long> seen =
            dedup.fetch(
                taskId,
                Instant.ofEpochMilli(ts).minus(window),
                Instant.ofEpochMilli(ts).plus(window))) {
          if (seen.hasNext()) {
            metrics.duplicate();
            span.setAttribute(DUPLICATE, true);
            log.info("Task {} was already routed within {}; not routing it again", taskId, window);
            return;
          }
        }
        LoadedDocument doc = loader.load(task.getDocument());
        RoutingDecision decision = engine.route(task, doc, Optional.empty());
        dedup.put(taskId, ts, ts);
        if (decision instanceof RoutingDecision.Routed r && r.primary().getRoute().equals(triage)) {
          pending.put(taskId, r.primary());
        }
        emit(ctx, record, taskId, decision, engine, spans, span);
      } catch (RuntimeException e) {
        failed(span, e);
        throw e;
      } finally {
        span.end();
      }
    }
  }

  /**
   * Applies triage verdicts to the tasks waiting for them; sends tasks that waited too long to
   * review.
   */
  static final class TriageVerdictProcessor
      implements Processor<String, AgentResult, String, SpecificRecord> {
    private final RoutingEngine engine;
    private final RouterMetrics metrics;
    private final Duration timeout;
    private final Duration sweep;
    private final boolean labels;
    private final Spans spans;
    private ProcessorContext<String, SpecificRecord> ctx;
    private KeyValueStore<String, RoutedTask> pending;

    /**
     * @param labels whether trusted verdicts are written to {@code agent.router.labels.v1} as
     *     labelled examples
     */
    TriageVerdictProcessor(
        RoutingEngine engine,
        RouterMetrics metrics,
        Duration timeout,
        Duration sweep,
        boolean labels,
        Spans spans) {
      this.spans = spans;
      this.engine = engine;
      this.metrics = metrics;
      this.timeout = timeout;
      this.sweep = sweep;
      this.labels = labels;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
      this.ctx = context;
      this.pending = context.getStateStore(PENDING_STORE);
      context.schedule(sweep, PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(Record<String, AgentResult> record) {
      AgentResult result = record.value();
      RoutedTask waiting = pending.get(result.getTaskId());
      if (waiting == null) {
        metrics.triage("unknown_task");
        log.info(
            "Triage verdict for task {}, which is not waiting for one (already decided or expired); ignored",
            result.getTaskId());
        return;
      }
      pending.delete(result.getTaskId());
      TaskSubmitted task = waiting.getTask();
      Optional<TriageVerdict> verdict = parse(result);
      Span span = begin(ctx, record, task.getTaskId(), spans);
      try (Scope current = span.makeCurrent()) {
        RoutingDecision decision =
            verdict.isPresent()
                ? engine.route(task, textOf(waiting), verdict)
                : engine.reviewOf(
                    task,
                    waiting.getExtractedText(),
                    null,
                    ReviewReason.LOW_CONFIDENCE,
                    "triage answered, but not with a readable verdict");
        metrics.triage("applied");
        emit(ctx, record, task.getTaskId(), decision, engine, spans, span);
      } catch (RuntimeException e) {
        failed(span, e);
        throw e;
      } finally {
        span.end();
      }
      if (labels && verdict.isPresent()) {
        RouteLabels.fromTriage(
                waiting,
                verdict.get(),
                textOf(waiting).text(),
                engine.routes(),
                Instant.ofEpochMilli(record.timestamp()))
            .ifPresent(
                l -> {
                  metrics.labelled(l.getSource().name());
                  ctx.forward(
                      new Record<String, SpecificRecord>(
                          task.getTaskId(), l, record.timestamp(), record.headers()));
                });
      }
    }

    private void expire(long now) {
      List<KeyValue<String, RoutedTask>> expired = new ArrayList<>();
      try (KeyValueIterator<String, RoutedTask> it = pending.all()) {
        while (it.hasNext()) {
          KeyValue<String, RoutedTask> kv = it.next();
          if (kv.value.getRoutedAt().plus(timeout).toEpochMilli() <= now) {
            expired.add(kv);
          }
        }
      }
      for (KeyValue<String, RoutedTask> kv : expired) {
        pending.delete(kv.key);
        metrics.triage("expired");
        RoutingDecision decision =
            engine.reviewOf(
                kv.value.getTask(),
                kv.value.getExtractedText(),
                kv.value.getRoute(),
                ReviewReason.LOW_CONFIDENCE,
                String.format(
                    Locale.ROOT,
                    "no triage verdict within %s; the classifier's confidence was %.2f",
                    timeout,
                    kv.value.getDecision().getConfidence()));
        Record<String, ?> none = new Record<>(kv.key, null, now);
        Span span = begin(ctx, none, kv.key, spans);
        try {
          emit(ctx, none, kv.key, decision, engine, spans, span);
        } finally {
          span.end();
        }
      }
    }

    static Optional<TriageVerdict> parse(AgentResult r) {
      return TriageVerdict.parse(r.getOutput(), r.getProvider() + ":" + r.getModel());
    }

    private static LoadedDocument textOf(RoutedTask waiting) {
      if (waiting.getExtractedText() != null) {
        return new LoadedDocument(waiting.getExtractedText(), true);
      }
      String text =
          waiting.getTask().getDocument().getContent() instanceof InlineText t ? t.getText() : "";
      return new LoadedDocument(text, false);
    }
  }

  /**
   * A worker sent a triage task to review itself: the task is the reviewer's now, so stop waiting
   * for a verdict.
   */
  static final class TriageWithdrawal implements Processor<String, ReviewItem, Void, Void> {
    private final RouterMetrics metrics;
    private KeyValueStore<String, RoutedTask> pending;

    TriageWithdrawal(RouterMetrics metrics) {
      this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      this.pending = context.getStateStore(PENDING_STORE);
    }

    @Override
    public void process(Record<String, ReviewItem> record) {
      if (pending.delete(record.value().getTaskId()) != null) {
        metrics.triage("withdrawn");
      }
    }
  }
}
