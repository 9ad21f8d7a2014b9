package dev.agentyard.workers;

import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.InlineText;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.ResultStatus;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.avro.TaskBudget;
import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.runtime.deadletter.DeadLetterContext;
import dev.agentyard.runtime.deadletter.DeadLetterHeaders;
import dev.agentyard.runtime.deadletter.DeadLetterReason;
import dev.agentyard.runtime.errors.ErrorClassifier;
import dev.agentyard.runtime.errors.ErrorKind;
import dev.agentyard.runtime.errors.SecretRedactor;
import dev.agentyard.runtime.tracing.TraceParent;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.workers.agent.AgentLoop;
import dev.agentyard.workers.agent.AgentOutcome;
import dev.agentyard.workers.agent.AgentSpec;
import dev.agentyard.workers.agent.AgentStats;
import dev.agentyard.workers.agent.AgentTask;
import dev.agentyard.workers.agent.RunJournal;
import dev.agentyard.workers.consume.AsyncConsumerLoop;
import dev.agentyard.workers.consume.Outputs;
import dev.agentyard.workers.idempotency.CompletedTasks;
import dev.agentyard.workers.journal.RouteJournal;
import dev.agentyard.workers.resilience.CallAttempt;
import dev.agentyard.workers.retry.RetryRouter;
import dev.agentyard.workers.tracing.AgentSpans;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one record of a route topic (or its delay topics) and ends it as exactly one of: a
 * result, a review item, a retry on the next delay topic, or a dead letter, plus a usage event for
 * every model call made on the way. The agent run resumes from the task's journal and journals its
 * own steps (ADR 0016); usage events are written as calls end. The ending is not written here: it
 * is returned as {@link Outputs}, which the consumer loop writes in one transaction with the
 * offsets, fenced by the consumer group's generation (ADR 0007). Only once that transaction commits
 * is the task marked done here and its journal tombstoned.
 */
public final class TaskProcessor implements AsyncConsumerLoop.RecordHandler {

  private static final Logger log = LoggerFactory.getLogger(TaskProcessor.class);
  static final String STAGE = "worker";

  /** The serializers and deserializer of the Avro records this processor reads and writes. */
  public record Serdes(
      Deserializer<RoutedTask> task,
      Serializer<AgentResult> result,
      Serializer<ReviewItem> review,
      Serializer<ModelUsage> usage) {}

  private final AgentSpec spec;
  private final AgentLoop loop;
  private final Serdes serdes;
  private final Producer<byte[], byte[]> producer;
  private final RouteJournal journal;
  private final Runnable syncEndings;
  private final CompletedTasks completed;
  private final RetryRouter retries;
  private final WorkerMetrics metrics;
  private final AgentSpans spans;
  private final Clock clock;
  private final String group;
  private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

  /** An in-flight run: the partition its record came from; completes when the run has stopped. */
  private record Running(TopicPartition source, CompletableFuture<Void> stopped) {}

  /** The in-flight runs, by task id. */
  private final Map<String, Running> runsOn = new ConcurrentHashMap<>();

  public TaskProcessor(
      AgentSpec spec,
      AgentLoop loop,
      Serdes serdes,
      Producer<byte[], byte[]> producer,
      RouteJournal journal,
      Runnable syncEndings,
      CompletedTasks completed,
      RetryRouter retries,
      WorkerMetrics metrics,
      AgentSpans spans,
      Clock clock) {
    this.spans = spans;
    this.spec = spec;
    this.loop = loop;
    this.serdes = serdes;
    this.producer = producer;
    this.journal = journal;
    this.syncEndings = syncEndings;
    this.completed = completed;
    this.retries = retries;
    this.metrics = metrics;
    this.clock = clock;
    this.group = WorkerConfig.groupOf(spec.route());
  }

  /** Tasks being worked on right now. */
  public int inFlight() {
    return inFlight.size();
  }

  /**
   * Before records run. For newly assigned partitions (whose committed positions are fetched by
   * now, so a fenced predecessor's last transaction is resolved): the endings committed so far are
   * read to the topics' last stable offsets, and the partitions' journals are read. For records
   * from delay topics or replays: their journal partition is read up to its end, since another
   * instance may have written their earlier steps moments ago.
   */
  @Override
  public void beforeDispatch(
      List<ConsumerRecord<byte[], byte[]>> records, Set<TopicPartition> newlyAssigned) {
    if (!newlyAssigned.isEmpty()) {
      syncEndings.run();
    }
    if (journal == null) {
      return;
    }
    Set<Integer> indexes = new HashSet<>();
    newlyAssigned.forEach(tp -> indexes.add(tp.partition()));
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if (RetryRouter.attempts(r.headers()) > 0 || replayed(r)) {
        String key = key(r);
        if (key != null) {
          indexes.add(journal.partitionOf(key));
        }
      }
    }
    journal.catchUp(indexes);
  }

  @Override
  public void released(
      Collection<TopicPartition> partitions, Set<TopicPartition> stillOwned, Duration handover) {
    // runs still going on the partitions given up (a drain that timed out, a partition lost) stop
    // before their next call or tool: the new owner resumes them from the journal
    List<CompletableFuture<Void>> stopping = new ArrayList<>();
    runsOn.forEach(
        (taskId, run) -> {
          if (partitions.contains(run.source()) && !stillOwned.contains(run.source())) {
            log.info(
                "Stopping this instance's run of task {} on route {}: {} moved to another instance",
                taskId,
                spec.route(),
                run.source());
            loop.depose(spec.route(), taskId);
            stopping.add(run.stopped());
          }
        });
    awaitStopped(stopping, handover);
    if (journal == null) {
      return;
    }
    Set<Integer> indexes = new HashSet<>();
    partitions.forEach(tp -> indexes.add(tp.partition()));
    stillOwned.forEach(tp -> indexes.remove(tp.partition()));
    journal.release(indexes);
  }

  /**
   * Waits (on a revocation, not a loss) for deposed runs to stop: a call in flight ends and its
   * answer is journaled before the run stops, so the partition's next owner — assigned only after
   * this returns — reads the answer instead of asking the turn again. Past {@code handover}, the
   * next owner settles those calls as unconfirmed and asks their turns again.
   */
  private void awaitStopped(List<CompletableFuture<Void>> stopping, Duration handover) {
    if (stopping.isEmpty() || handover.isZero()) {
      return;
    }
    try {
      CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new))
          .get(handover.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      long going = stopping.stream().filter(f -> !f.isDone()).count();
      log.warn(
          "{} of {} stopped runs on route {} still had a call in flight after {}; their next owner"
              + " settles those calls as unconfirmed and asks their turns again",
          going,
          stopping.size(),
          spec.route(),
          handover);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // never: the futures complete normally
    }
  }

  @Override
  public CompletionStage<Outputs> handle(ConsumerRecord<byte[], byte[]> record) {
    RoutedTask routed;
    try {
      routed = serdes.task().deserialize(record.topic(), record.headers(), record.value());
    } catch (RuntimeException e) {
      if (ErrorClassifier.classify(e) == ErrorKind.RETRIABLE) {
        return retry(record, e, "registry_unavailable", 0, 0);
      }
      return deadLetter(
          record,
          e,
          DeadLetterReason.ofDeserializationFailure(e),
          "deserialize",
          Optional.empty(),
          0);
    }
    if (routed == null) {
      return deadLetter(
          record,
          new IllegalArgumentException("empty value"),
          DeadLetterReason.INVALID_CONTENT,
          "validate",
          Optional.empty(),
          0);
    }
    String taskId = routed.getTaskId();
    String text = documentText(routed);
    if (text == null || text.isBlank()) {
      return deadLetter(
          record,
          new IllegalArgumentException(
              "task "
                  + taskId
                  + " carries no text: the router extracts text from"
                  + " bytes and URIs into RoutedTask.extractedText"),
          DeadLetterReason.INVALID_CONTENT,
          "validate",
          Optional.of(routed),
          0);
    }
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> earlier = inFlight.putIfAbsent(taskId, mine);
    if (earlier != null) {
      // the same task is already being worked on here: decide once its ending is committed or
      // aborted (usually: skip as done)
      return earlier.handle((v, e) -> null).thenCompose(x -> handle(record));
    }
    TopicPartition source = new TopicPartition(record.topic(), record.partition());
    Running running = new Running(source, new CompletableFuture<>());
    runsOn.put(taskId, running);
    // a release racing with the run that just ended may have deposed it after it was reinstated
    loop.reinstate(spec.route(), taskId);
    Runnable release =
        () -> {
          runsOn.remove(taskId, running);
          loop.reinstate(spec.route(), taskId);
          inFlight.remove(taskId, mine);
          mine.complete(null);
        };
    CompletableFuture<Outputs> work;
    try {
      work = process(record, routed, text);
    } catch (RuntimeException e) {
      work = CompletableFuture.failedFuture(e);
    }
    work.whenComplete(
        (outputs, e) -> {
          running.stopped().complete(null);
          if (e != null) {
            release.run();
          }
        });
    return work.thenApply(
        outputs -> {
          // each output's send span lasts until its transaction commits or aborts
          Consumer<Boolean> sent = spans.publish(outputs.records());
          return new Outputs(
              outputs.records(),
              committed -> {
                try {
                  sent.accept(committed);
                  outputs.onCommit().accept(committed);
                } finally {
                  release.run();
                }
              });
        });
  }

  private CompletableFuture<Outputs> process(
      ConsumerRecord<byte[], byte[]> record, RoutedTask routed, String text) {
    TaskSubmitted t = routed.getTask();
    if (completed.shouldSkip(
        spec.route(), t.getTaskId(), replayed(record), RetryRouter.attempts(record.headers()))) {
      log.info(
          "Task {} already ended on route {}; not processing it again",
          t.getTaskId(),
          spec.route());
      metrics.task(spec.route(), "duplicate");
      return CompletableFuture.completedFuture(Outputs.none());
    }
    RunJournal runJournal = journal == null ? RunJournal.NONE : journal.open(t.getTaskId());
    if (!runJournal.prior().isEmpty()) {
      log.info(
          "Task {} resumes on route {} from {} journaled steps",
          t.getTaskId(),
          spec.route(),
          runJournal.prior().size());
      metrics.resumed(spec.route(), runJournal.prior().size());
    }
    TaskBudget b = t.getBudget();
    // a journal holds every call of the earlier deliveries, so what they spent is counted from it
    long spentBefore = runJournal.prior().isEmpty() ? RetryRouter.spentBefore(record.headers()) : 0;
    AgentTask task =
        new AgentTask(
            t.getTaskId(),
            t.getCorrelationId(),
            t.getTenant(),
            spec.route(),
            text,
            t.getMetadata(),
            b == null || b.getMaxCostMicroUsd() == null ? 0 : b.getMaxCostMicroUsd(),
            b == null || b.getMaxTokens() == null ? 0 : b.getMaxTokens(),
            b == null || b.getMaxTurns() == null ? 0 : b.getMaxTurns(),
            b == null || b.getMaxToolCalls() == null ? 0 : b.getMaxToolCalls(),
            spentBefore,
            routed.getApproval());
    AgentSpans.Run run = spans.start(record, group, spec.route(), task);
    TraceParent trace = run.trace();
    Instant started = clock.instant();
    return loop.run(
            spec.forTier(routed.getModelTier()),
            task,
            (agentTask, turn, call, cost, version) -> {
              spans.chat(
                  run,
                  call,
                  cost,
                  () -> {
                    if (call.outcome() != CallOutcome.UNCONFIRMED) {
                      // an unconfirmed call was sent by a process that died: its duration spans
                      // the crash and its cost is an estimate (the cost aggregator counts it apart)
                      metrics.call(spec.route(), call, cost);
                    }
                  });
              return send(
                  avro(
                      Topics.USAGE.name(),
                      t.getTaskId(),
                      usage(agentTask, turn, call, cost, version),
                      serdes.usage(),
                      trace));
            },
            runJournal)
        .whenComplete((outcome, e) -> spans.end(run, task, outcome, e))
        .thenApply(outcome -> publish(record, routed, task, outcome, trace, started));
  }

  private Outputs publish(
      ConsumerRecord<byte[], byte[]> record,
      RoutedTask routed,
      AgentTask task,
      AgentOutcome outcome,
      TraceParent trace,
      Instant started) {
    TaskSubmitted t = routed.getTask();
    AgentStats s = outcome.stats();
    long totalCost = task.spentBeforeMicroUsd() + s.costMicroUsd();
    return switch (outcome) {
      case AgentOutcome.Completed c -> {
        ResultStatus status =
            c.repaired()
                ? ResultStatus.COMPLETED_AFTER_REPAIR
                : s.fallbackUsed() ? ResultStatus.COMPLETED_WITH_FALLBACK : ResultStatus.COMPLETED;
        AgentResult result =
            AgentResult.newBuilder()
                .setTaskId(t.getTaskId())
                .setCorrelationId(t.getCorrelationId())
                .setTenant(t.getTenant())
                .setRoute(spec.route())
                .setProvider(s.provider())
                .setModel(s.model())
                .setModelTier(s.tier())
                .setStatus(status)
                .setOutput(c.output().toString())
                .setOutputSchemaVersion(c.schemaVersion())
                .setStopReason(s.stopReason())
                .setTurns(s.turns())
                .setToolCalls(s.toolCalls())
                .setHallucinatedToolCalls(s.hallucinatedToolCalls())
                .setModelCalls(s.modelCalls())
                .setInputTokens(s.tokens().input())
                .setOutputTokens(s.tokens().output())
                .setCacheReadTokens(s.tokens().cacheRead())
                .setCacheWriteTokens(s.tokens().cacheWrite())
                .setCostMicroUsd(totalCost)
                .setStartedAt(started)
                .setCompletedAt(clock.instant())
                .setMetadata(t.getMetadata())
                .setApprovalGrantId(s.approvalGrantId())
                .setApprovedBy(approver(s.approvalGrantId(), routed))
                .build();
        yield ending(
            avro(Topics.RESULTS.name(), t.getTaskId(), result, serdes.result(), trace),
            t.getTaskId(),
            CompletedTasks.Kind.RESULT,
            "completed");
      }
      case AgentOutcome.NeedsReview r -> {
        ReviewItem item =
            ReviewItem.newBuilder()
                .setReviewId(UUID.randomUUID().toString())
                .setTaskId(t.getTaskId())
                .setCorrelationId(t.getCorrelationId())
                .setTenant(t.getTenant())
                .setRoute(spec.route())
                .setReason(r.reason())
                .setStopReason(s.stopReason())
                .setDetail(SecretRedactor.redact(r.detail()))
                .setStage(STAGE)
                .setCreatedAt(clock.instant())
                .setModelOutput(r.modelOutput())
                .setProposedAction(r.proposedAction())
                .setCostSoFarMicroUsd(totalCost)
                .setTask(t)
                .setExtractedText(routed.getExtractedText())
                .setApprovalGrantId(s.approvalGrantId())
                .setRefusalCategory(r.refusalCategory())
                .build();
        yield ending(
            avro(Topics.REVIEW.name(), t.getTaskId(), item, serdes.review(), trace),
            t.getTaskId(),
            CompletedTasks.Kind.REVIEW,
            "review",
            !r.resumable());
      }
      // the delay-topic copy and the dead letter name this run's span: the next attempt, and a
      // replay, continue the trace under it
      case AgentOutcome.Transient tr ->
          named(
              retryOutputs(
                  record,
                  tr.cause(),
                  tr.cause().kind().name().toLowerCase(Locale.ROOT),
                  totalCost,
                  s.tokens().total()),
              trace);
      case AgentOutcome.Failed f ->
          named(
              deadLetter(record, f.cause(), f.reason(), "agent", Optional.of(routed), totalCost)
                  .join(),
              trace);
    };
  }

  /** The reviewer who granted the approval the run used (null when it used none). */
  private static String approver(String grantUsed, RoutedTask routed) {
    return grantUsed != null
            && routed.getApproval() != null
            && grantUsed.equals(routed.getApproval().getGrantId())
        ? routed.getApproval().getGrantedBy()
        : null;
  }

  private static Outputs named(Outputs outputs, TraceParent trace) {
    outputs.records().forEach(r -> trace.writeTo(r.headers()));
    return outputs;
  }

  /**
   * A final ending: once committed, the task is done on this route here and its journal is
   * tombstoned.
   */
  private Outputs ending(
      ProducerRecord<byte[], byte[]> out, String taskId, CompletedTasks.Kind kind, String metric) {
    return ending(out, taskId, kind, metric, true);
  }

  /**
   * @param finishJournal false for a run stopped at a budget: its journal stays, so approving its
   *     review item resumes it without paying again for what it already did
   */
  private Outputs ending(
      ProducerRecord<byte[], byte[]> out,
      String taskId,
      CompletedTasks.Kind kind,
      String metric,
      boolean finishJournal) {
    return Outputs.of(
        out,
        committed -> {
          if (committed) {
            completed.mark(spec.route(), taskId, kind);
            if (journal != null && finishJournal) {
              journal.finish(taskId);
            }
            metrics.task(spec.route(), metric);
          }
        });
  }

  private CompletableFuture<Outputs> retry(
      ConsumerRecord<byte[], byte[]> record,
      Throwable error,
      String reason,
      long spent,
      long tokens) {
    return CompletableFuture.completedFuture(retryOutputs(record, error, reason, spent, tokens));
  }

  private Outputs retryOutputs(
      ConsumerRecord<byte[], byte[]> record,
      Throwable error,
      String reason,
      long spent,
      long tokens) {
    DeadLetterContext ctx =
        new DeadLetterContext(
            DeadLetterReason.RETRIES_EXHAUSTED,
            "model-call",
            group,
            RetryRouter.attempts(record.headers()) + 1,
            Optional.ofNullable(key(record)),
            Optional.of(spec.route()),
            Optional.empty(),
            tokens,
            spent);
    ProducerRecord<byte[], byte[]> next = retries.next(record, error, ctx);
    String taskId = ctx.taskId().orElse(null);
    if (Topics.isDeadLetter(next.topic())) {
      return Outputs.of(
          next,
          committed -> {
            if (committed) {
              metrics.deadLetter(spec.route(), DeadLetterReason.RETRIES_EXHAUSTED.name());
              deadLettered(taskId);
            }
          });
    }
    // the journal stays: the next attempt resumes from it; this delivery and any older one of the
    // task are redundant once the copy on the delay topic is committed
    int nextAttempt = RetryRouter.attempts(next.headers());
    return Outputs.of(
        next,
        committed -> {
          if (committed) {
            if (taskId != null) {
              completed.markRetried(spec.route(), taskId, nextAttempt);
            }
            metrics.retry(spec.route(), reason);
            metrics.task(spec.route(), "retry");
          }
        });
  }

  /** A dead letter is this delivery's ending: only an operator's replay runs the task again. */
  private void deadLettered(String taskId) {
    metrics.task(spec.route(), "dead_letter");
    if (taskId != null) {
      completed.mark(spec.route(), taskId, CompletedTasks.Kind.DEAD_LETTER);
      if (journal != null) {
        journal.finish(taskId);
      }
    }
  }

  private CompletableFuture<Outputs> deadLetter(
      ConsumerRecord<byte[], byte[]> record,
      Throwable error,
      DeadLetterReason reason,
      String stage,
      Optional<RoutedTask> task,
      long spent) {
    log.warn(
        "Dead-lettering {}@{}:{} ({}): {}",
        record.topic(),
        record.partition(),
        record.offset(),
        reason,
        SecretRedactor.redact(String.valueOf(error.getMessage())));
    DeadLetterContext ctx =
        new DeadLetterContext(
            reason,
            stage,
            group,
            RetryRouter.attempts(record.headers()) + 1,
            task.map(t -> t.getTaskId()).or(() -> Optional.ofNullable(key(record))),
            Optional.of(spec.route()),
            Optional.empty(),
            0,
            spent);
    String taskId = ctx.taskId().orElse(null);
    return CompletableFuture.completedFuture(
        Outputs.of(
            retries.deadLetter(record, error, ctx),
            committed -> {
              if (committed) {
                metrics.deadLetter(spec.route(), reason.name());
                deadLettered(taskId);
              }
            }));
  }

  private ModelUsage usage(
      AgentTask task, int turn, CallAttempt call, long cost, String priceVersion) {
    String error = call.error() == null ? null : SecretRedactor.redact(call.error());
    return ModelUsage.newBuilder()
        .setAttemptId(call.attemptId())
        .setTaskId(task.taskId())
        .setTenant(task.tenant())
        .setRoute(spec.route())
        .setProvider(call.model().provider())
        .setModel(call.model().model())
        .setRequestedModel(call.requestedModel())
        .setTurn(turn)
        .setAttempt(call.attempt())
        .setFallback(call.fallback())
        .setOutcome(call.billedAs())
        .setInputTokens(call.usage().input())
        .setOutputTokens(call.usage().output())
        .setCacheReadTokens(call.usage().cacheRead())
        .setCacheWriteTokens(call.usage().cacheWrite())
        .setCacheWrite1hTokens(call.usage().cacheWrite1h())
        .setCostMicroUsd(cost)
        .setPriceTableVersion(priceVersion)
        .setServiceTier(call.serviceTier())
        .setProviderRequestId(call.providerRequestId())
        .setStopReason(call.stopReason())
        .setUsageEstimated(call.usageEstimated())
        // from the millisecond timestamps the event carries, so an event written again from the
        // journal (which keeps milliseconds) is the same event
        .setLatencyMs(call.completedAt().toEpochMilli() - call.startedAt().toEpochMilli())
        .setHttpStatus(call.httpStatus() == 0 ? null : call.httpStatus())
        .setErrorMessage(error == null || error.length() <= 500 ? error : error.substring(0, 500))
        .setStartedAt(call.startedAt())
        .setCompletedAt(call.completedAt())
        .setLedgerLeases(loop.budgets().leasesOf(call.attemptId()))
        .build();
  }

  private <T> ProducerRecord<byte[], byte[]> avro(
      String topic, String key, T value, Serializer<T> serializer, TraceParent trace) {
    Headers headers = new RecordHeaders();
    // the run's span (invoke_agent) is the parent of whatever a consumer of this output does
    trace.writeTo(headers);
    byte[] bytes = serializer.serialize(topic, headers, value);
    return new ProducerRecord<>(
        topic, null, null, key.getBytes(StandardCharsets.UTF_8), bytes, headers);
  }

  private CompletableFuture<Void> send(ProducerRecord<byte[], byte[]> record) {
    return Sends.acknowledged(producer, record);
  }

  static String documentText(RoutedTask routed) {
    if (routed.getExtractedText() != null) {
      return routed.getExtractedText();
    }
    Object content = routed.getTask().getDocument().getContent();
    return content instanceof InlineText t ? t.getText() : null;
  }

  private static boolean replayed(ConsumerRecord<byte[], byte[]> record) {
    Header h = record.headers().lastHeader(DeadLetterHeaders.REPLAYED_COUNT);
    return h != null && !"0".equals(new String(h.value(), StandardCharsets.UTF_8));
  }

  private static String key(ConsumerRecord<byte[], byte[]> record) {
    return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
  }
}
