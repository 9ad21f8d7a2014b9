package dev.agentyard.dlq.replay;

import static dev.agentyard.runtime.deadletter.DeadLetterHeaders.*;

import dev.agentyard.avro.AuditOutcome;
import dev.agentyard.avro.DispositionKind;
import dev.agentyard.avro.DlqAction;
import dev.agentyard.avro.DlqAuditEvent;
import dev.agentyard.avro.DlqDisposition;
import dev.agentyard.dlq.DlqIo;
import dev.agentyard.dlq.DlqMetrics;
import dev.agentyard.dlq.audit.AuditTrail;
import dev.agentyard.dlq.inspect.DeadLetter;
import dev.agentyard.dlq.inspect.DeadLetterBrowser;
import dev.agentyard.dlq.inspect.DeadLetterFilter;
import dev.agentyard.runtime.deadletter.DeadLetterHeaders;
import dev.agentyard.runtime.deadletter.RetryHeaders;
import dev.agentyard.runtime.errors.SecretRedactor;
import dev.agentyard.runtime.tracing.Tracing;
import dev.agentyard.schemas.topics.Topics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays and parks dead letters, safely.
 *
 * <ul>
 *   <li><b>Plan first.</b> The selection is resolved to a list of records, each accepted with its
 *       target or refused with a reason (loop guard, already replayed, parked, unknown origin,
 *       missing target), and the tokens and cost their failed runs recorded are summed as the
 *       estimate of what a replay costs. A dry run stops there (and is audited).
 *   <li><b>Exactly once.</b> Each copy is written in a transaction together with its disposition (a
 *       compacted record keyed by the dead letter's coordinates). A crash loses at most the open
 *       batch, which was never visible; the next run sees the committed dispositions and continues
 *       where the crash left off. The console's single transactional id fences any run still alive.
 *   <li><b>Exact copies.</b> Original key, value and headers; failure bookkeeping is dropped and
 *       replay provenance added: count, audit id, source coordinates, actor, time.
 *   <li><b>Paced.</b> Records are spaced evenly at the requested rate.
 * </ul>
 */
public final class Redrive {

  private static final Logger log = LoggerFactory.getLogger(Redrive.class);

  /**
   * What to replay or park; built with {@link #of(DeadLetterFilter, String)}.
   *
   * @param target for a replay: the original topic (empty) or one of its retry topics
   * @param dryRun only say what would happen
   * @param force replay or park records that were already replayed or parked (never past the loop
   *     guard)
   * @param ratePerSecond pace of the copies
   * @param limit at most this many records (0 = all selected)
   * @param reason why, in the operator's words (audited)
   */
  public record Request(
      DeadLetterFilter filter,
      Optional<String> target,
      boolean dryRun,
      boolean force,
      int ratePerSecond,
      int limit,
      String reason) {

    /**
     * The dead letters a filter selects, for a reason: executed, not forced, to the original topic,
     * unpaced, unlimited.
     */
    public static Request of(DeadLetterFilter filter, String reason) {
      return new Request(filter, Optional.empty(), false, false, Integer.MAX_VALUE, 0, reason);
    }

    /**
     * To one of the original topic's retry topics instead of the original topic ({@code null}: the
     * original).
     */
    public Request to(String retryTopic) {
      return new Request(
          filter, Optional.ofNullable(retryTopic), dryRun, force, ratePerSecond, limit, reason);
    }

    /** Only say what would happen ({@code true}), or do it. */
    public Request withDryRun(boolean only) {
      return new Request(filter, target, only, force, ratePerSecond, limit, reason);
    }

    /** Also records already replayed or parked (never past the loop guard). */
    public Request forced(boolean evenIfDone) {
      return new Request(filter, target, dryRun, evenIfDone, ratePerSecond, limit, reason);
    }

    public Request pacedAt(int perSecond) {
      return new Request(filter, target, dryRun, force, perSecond, limit, reason);
    }

    /** At most {@code n} records (0 = all selected). */
    public Request limitedTo(int n) {
      return new Request(filter, target, dryRun, force, ratePerSecond, n, reason);
    }
  }

  /** One selected dead letter and where it goes, or why it does not. */
  public record Item(
      String coordinates,
      String taskId,
      String target,
      Optional<String> refusal,
      long tokens,
      long costMicroUsd) {}

  /**
   * How an action ended.
   *
   * @param done copies committed (0 for a dry run)
   * @param withoutUsage accepted records with no recorded usage (never reached a model): the
   *     estimate excludes them
   */
  public record Report(
      String auditId,
      DlqAction action,
      boolean dryRun,
      int selected,
      List<Item> accepted,
      List<Item> refused,
      int done,
      long estimatedTokens,
      long estimatedCostMicroUsd,
      int withoutUsage,
      AuditOutcome outcome,
      String detail) {}

  /**
   * Told as batches commit; tests use it to interrupt a run between a batch's sends and its commit.
   */
  public interface Progress {
    Progress NONE = new Progress() {};

    default void beforeCommit(int batch, int inBatch) {}

    default void committed(int done, int total) {}
  }

  /** The safety limits. */
  public record Limits(int maxReplays, int batchSize) {}

  private final DlqIo io;
  private final DeadLetterBrowser browser;
  private final Serializer<DlqDisposition> dispositions;
  private final AuditTrail audit;
  private final Limits limits;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final Pacer.Sleeper sleeper;
  private final DlqMetrics metrics;
  private final Tracing tracing;

  public Redrive(
      DlqIo io,
      DeadLetterBrowser browser,
      Serializer<DlqDisposition> dispositions,
      AuditTrail audit,
      Limits limits,
      Clock clock,
      LongSupplier nanoTime,
      Pacer.Sleeper sleeper,
      DlqMetrics metrics,
      Tracing tracing) {
    this.tracing = tracing;
    this.io = io;
    this.browser = browser;
    this.dispositions = dispositions;
    this.audit = audit;
    this.limits = limits;
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
    this.metrics = metrics;
  }

  /** Replays the selection to its original topic (or the chosen retry topic). */
  public Report replay(Request req, String actor, Progress progress) {
    return run(req, actor, progress, false);
  }

  /** Moves the selection to its parking topic ({@code <dlq>.parked}), with the reason. */
  public Report park(Request req, String actor, Progress progress) {
    if (req.reason() == null || req.reason().isBlank()) {
      throw new IllegalArgumentException(
          "parking needs a reason: say why these records must not be replayed");
    }
    return run(req, actor, progress, true);
  }

  private Report run(Request req, String actor, Progress progress, boolean park) {
    String auditId = AuditTrail.newId();
    DlqAction action =
        park ? DlqAction.PARK : req.dryRun() ? DlqAction.REPLAY_DRY_RUN : DlqAction.REPLAY;
    String selection =
        req.filter().describe()
            + req.target().map(t -> " to=" + t).orElse("")
            + (req.force() ? " force" : "")
            + (req.limit() > 0 ? " limit=" + req.limit() : "");
    int committed = 0;
    Plan plan = null;
    Producer<byte[], byte[]> producer = io.transactionalProducer();
    try {
      producer.initTransactions(); // fences any other console action before we read what was done
      Map<String, DlqDisposition> done = browser.dispositions();
      List<DeadLetter> selected = browser.select(req.filter(), done);
      if (req.limit() > 0 && selected.size() > req.limit()) {
        selected = selected.subList(0, req.limit());
      }
      plan = plan(selected, done, req, park);
      if (req.dryRun() && !park) {
        producer.beginTransaction();
        producer.send(
            audit.record(
                event(
                    auditId,
                    action,
                    actor,
                    req,
                    selection,
                    plan,
                    0,
                    AuditOutcome.SUCCEEDED,
                    null)));
        producer.commitTransaction();
        return report(
            auditId, action, req, plan, 0, AuditOutcome.SUCCEEDED, "dry run: nothing was written");
      }
      Pacer pacer = new Pacer(req.ratePerSecond(), nanoTime, sleeper);
      List<DeadLetter> accepted = plan.acceptedLetters;
      int batchNo = 0;
      for (int from = 0; from < accepted.size(); from += limits.batchSize()) {
        int to = Math.min(from + limits.batchSize(), accepted.size());
        producer.beginTransaction();
        for (int i = from; i < to; i++) {
          DeadLetter d = accepted.get(i);
          String target = plan.accepted.get(i).target();
          pacer.acquire();
          producer.send(
              park
                  ? parkedCopy(d, target, actor, req.reason())
                  : replayCopy(d, target, auditId, actor));
          producer.send(
              disposition(
                  d,
                  park ? DispositionKind.PARKED : DispositionKind.REPLAYED,
                  target,
                  auditId,
                  actor,
                  req.reason()));
        }
        progress.beforeCommit(++batchNo, to - from);
        producer.commitTransaction();
        committed += to - from;
        progress.committed(committed, accepted.size());
      }
      producer.beginTransaction();
      producer.send(
          audit.record(
              event(
                  auditId,
                  action,
                  actor,
                  req,
                  selection,
                  plan,
                  committed,
                  AuditOutcome.SUCCEEDED,
                  null)));
      producer.commitTransaction();
      metrics.records(park ? "parked" : "replayed", committed);
      metrics.records("refused", plan.refused.size());
      return report(
          auditId,
          action,
          req,
          plan,
          committed,
          AuditOutcome.SUCCEEDED,
          committed
              + (park ? " parked" : " replayed")
              + (plan.refused.isEmpty() ? "" : ", " + plan.refused.size() + " refused"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(
          producer, auditId, action, actor, req, selection, plan, committed, "interrupted");
    } catch (ProducerFencedException e) {
      return failed(
          producer,
          auditId,
          action,
          actor,
          req,
          selection,
          plan,
          committed,
          "another console action started and fenced this one; its uncommitted batch was discarded");
    } catch (KafkaException | IllegalStateException e) {
      return failed(
          producer,
          auditId,
          action,
          actor,
          req,
          selection,
          plan,
          committed,
          e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      producer.close(Duration.ofSeconds(5));
    }
  }

  private Report failed(
      Producer<byte[], byte[]> producer,
      String auditId,
      DlqAction action,
      String actor,
      Request req,
      String selection,
      Plan plan,
      int committed,
      String why) {
    try {
      producer.abortTransaction();
    } catch (RuntimeException ignored) {
      // fenced or never begun: the broker aborts it (or the next console action does)
    }
    String detail =
        SecretRedactor.redact(why)
            + "; "
            + committed
            + " committed before the failure; run the same command again to"
            + " continue (committed records are not repeated)";
    log.warn("{} {} failed: {}", action, auditId, detail);
    Plan p = plan == null ? new Plan(List.of(), List.of(), List.of()) : plan;
    try (Producer<byte[], byte[]> plain = io.producer()) {
      plain
          .send(
              audit.record(
                  event(
                      auditId,
                      action,
                      actor,
                      req,
                      selection,
                      p,
                      committed,
                      AuditOutcome.FAILED,
                      detail)))
          .get();
    } catch (Exception e) {
      log.error("Could not record the failure of {} {} in the audit topic", action, auditId, e);
    }
    metrics.records(action == DlqAction.PARK ? "parked" : "replayed", committed);
    return report(auditId, action, req, p, committed, AuditOutcome.FAILED, detail);
  }

  private DlqAuditEvent event(
      String auditId,
      DlqAction action,
      String actor,
      Request req,
      String selection,
      Plan plan,
      int committed,
      AuditOutcome outcome,
      String detail) {
    List<String> topics =
        req.filter().topics().isEmpty() ? List.of("*.dlq") : req.filter().topics();
    return audit
        .event(auditId, action, actor, req.reason(), String.join(",", topics), outcome)
        .setTargetTopic(
            plan.accepted.stream()
                .map(Item::target)
                .distinct()
                .reduce((a, b) -> a + "," + b)
                .orElse(null))
        .setSelection(selection)
        .setRecordCount(action == DlqAction.REPLAY_DRY_RUN ? plan.accepted.size() : committed)
        .setRefusedCount(plan.refused.size())
        .setEstimatedTokens(plan.tokens())
        .setEstimatedCostMicroUsd(plan.cost())
        .setDetail(detail)
        .build();
  }

  private Report report(
      String auditId,
      DlqAction action,
      Request req,
      Plan plan,
      int done,
      AuditOutcome outcome,
      String detail) {
    metrics.action(action.name(), outcome.name());
    return new Report(
        auditId,
        action,
        req.dryRun(),
        plan.accepted.size() + plan.refused.size(),
        plan.accepted,
        plan.refused,
        done,
        plan.tokens(),
        plan.cost(),
        (int) plan.accepted.stream().filter(i -> i.tokens() == 0 && i.costMicroUsd() == 0).count(),
        outcome,
        detail);
  }

  /** The accepted items and their dead letters, index for index. */
  private record Plan(List<Item> accepted, List<Item> refused, List<DeadLetter> acceptedLetters) {
    long tokens() {
      return accepted.stream().mapToLong(Item::tokens).sum();
    }

    long cost() {
      return accepted.stream().mapToLong(Item::costMicroUsd).sum();
    }
  }

  private Plan plan(
      List<DeadLetter> selected, Map<String, DlqDisposition> done, Request req, boolean park) {
    List<Item> accepted = new ArrayList<>();
    List<Item> refused = new ArrayList<>();
    List<DeadLetter> letters = new ArrayList<>();
    for (DeadLetter d : selected) {
      String target =
          park
              ? Topics.parkedTopicOf(d.topic())
              : req.target().orElse(d.origin().topic().orElse(""));
      Optional<String> refusal =
          park
              ? parkRefusal(d, done.get(d.coordinates()), target, req.force())
              : replayRefusal(d, done.get(d.coordinates()), target, req);
      Item item =
          new Item(
              d.coordinates(),
              d.run().taskId(),
              target,
              refusal,
              d.run().tokensSpent(),
              d.run().costSpentMicroUsd());
      if (refusal.isPresent()) {
        refused.add(item);
      } else {
        accepted.add(item);
        letters.add(d);
      }
    }
    return new Plan(accepted, refused, letters);
  }

  private Optional<String> replayRefusal(
      DeadLetter d, DlqDisposition before, String target, Request req) {
    if (d.origin().topic().isEmpty()) {
      return Optional.of("no header names its original topic, so where it belongs is unknown");
    }
    String original = d.origin().topic().get();
    if (!target.equals(original) && !target.startsWith(original + ".retry.")) {
      return Optional.of(
          "target "
              + target
              + " is neither its original topic "
              + original
              + " nor one of that topic's retry topics");
    }
    if (target.startsWith(original + ".retry.") && retryDelay(target, original).isEmpty()) {
      return Optional.of("target " + target + " does not end in a retry delay such as .retry.1m");
    }
    if (io.partitions(target).isEmpty()) {
      return Optional.of("target topic " + target + " does not exist");
    }
    if (d.run().replayCount() >= limits.maxReplays()) {
      return Optional.of(
          "loop guard: already replayed "
              + d.run().replayCount()
              + " times (limit "
              + limits.maxReplays()
              + ")");
    }
    if (before != null && !req.force()) {
      return Optional.of(
          "already "
              + before.getDisposition().name().toLowerCase(Locale.ROOT)
              + " by "
              + before.getActor()
              + " at "
              + before.getOccurredAt()
              + " to "
              + before.getTargetTopic()
              + " (--force to do it again)");
    }
    return Optional.empty();
  }

  private Optional<String> parkRefusal(
      DeadLetter d, DlqDisposition before, String target, boolean force) {
    if (io.partitions(target).isEmpty()) {
      return Optional.of("parking topic " + target + " does not exist");
    }
    if (before != null && !force) {
      return Optional.of(
          "already "
              + before.getDisposition().name().toLowerCase(Locale.ROOT)
              + " by "
              + before.getActor()
              + " at "
              + before.getOccurredAt()
              + " (--force to park anyway)");
    }
    return Optional.empty();
  }

  private ProducerRecord<byte[], byte[]> replayCopy(
      DeadLetter d, String target, String auditId, String actor) {
    Headers h = new RecordHeaders();
    for (Header x : d.content().headers()) {
      if (!DeadLetterHeaders.isBookkeeping(x.key())) {
        h.add(x.key(), x.value());
      }
    }
    // the replay is a span in the task's trace, under the run that failed; the re-run continues it
    Span span =
        tracing
            .tracer()
            .spanBuilder("replay " + target)
            .setSpanKind(SpanKind.PRODUCER)
            .setParent(Tracing.parentOf(h))
            .setAttribute(Tracing.MESSAGING_SYSTEM, "kafka")
            .setAttribute(Tracing.MESSAGING_OPERATION_TYPE, "send")
            .setAttribute(Tracing.MESSAGING_DESTINATION, target)
            .setAttribute(AttributeKey.stringKey("agentyard.dlq.source"), d.coordinates())
            .setAttribute(AttributeKey.stringKey("agentyard.audit.id"), auditId)
            .startSpan();
    if (span.isRecording()) {
      Tracing.traceParent(span, h).writeTo(h);
    }
    span.end();
    Instant now = clock.instant();
    put(h, REPLAYED_COUNT, Integer.toString(d.run().replayCount() + 1));
    put(h, REPLAY_ID, auditId);
    put(h, REPLAY_SOURCE, d.coordinates());
    put(h, REPLAY_ACTOR, actor);
    put(h, REPLAY_AT, now.toString());
    String original = d.origin().topic().orElseThrow();
    if (!target.equals(original)) {
      // a copy on a delay topic is a retry of its route: the worker waits out the delay, then
      // treats it as the route's
      put(h, RetryHeaders.ORIGINAL_TOPIC, original);
      put(
          h,
          RetryHeaders.NOT_BEFORE,
          Long.toString(now.plus(retryDelay(target, original).orElseThrow()).toEpochMilli()));
    }
    Integer partition = null;
    if (target.equals(original)
        && d.origin().partition().isPresent()
        && d.origin().partition().get() < io.partitions(target).orElse(0)) {
      partition =
          d.origin()
              .partition()
              .get(); // where the producer put it: per-key order as the source had it
    }
    return new ProducerRecord<>(
        target, partition, null, d.content().keyArray(), d.content().valueArray(), h);
  }

  private ProducerRecord<byte[], byte[]> parkedCopy(
      DeadLetter d, String target, String actor, String reason) {
    Headers h = new RecordHeaders();
    d.content().headers().forEach(x -> h.add(x.key(), x.value()));
    put(h, PARKED_REASON, SecretRedactor.redact(reason));
    put(h, PARKED_BY, actor);
    put(h, PARKED_AT, clock.instant().toString());
    put(h, REPLAY_SOURCE, d.coordinates());
    int partitions = io.partitions(target).orElse(0);
    return new ProducerRecord<>(
        target,
        d.partition() < partitions ? d.partition() : null,
        null,
        d.content().keyArray(),
        d.content().valueArray(),
        h);
  }

  private ProducerRecord<byte[], byte[]> disposition(
      DeadLetter d,
      DispositionKind kind,
      String target,
      String auditId,
      String actor,
      String reason) {
    DlqDisposition v =
        DlqDisposition.newBuilder()
            .setSourceTopic(d.topic())
            .setSourcePartition(d.partition())
            .setSourceOffset(d.offset())
            .setDisposition(kind)
            .setTargetTopic(target)
            .setAuditId(auditId)
            .setActor(actor)
            .setReason(reason == null ? null : SecretRedactor.redact(reason))
            .setTaskId(d.run().taskId())
            .setReplayCount(
                kind == DispositionKind.REPLAYED
                    ? d.run().replayCount() + 1
                    : d.run().replayCount())
            .setOccurredAt(clock.instant())
            .build();
    String topic = Topics.DLQ_DISPOSITIONS.name();
    return new ProducerRecord<>(
        topic, d.coordinates().getBytes(StandardCharsets.UTF_8), dispositions.serialize(topic, v));
  }

  /** The delay of a retry topic {@code <original>.retry.<label>}, e.g. 10s, 1m, 2h, 1d. */
  static Optional<Duration> retryDelay(String target, String original) {
    String label = target.substring((original + ".retry.").length());
    if (!label.matches("[1-9][0-9]*[smhd]")) {
      return Optional.empty();
    }
    long n = Long.parseLong(label.substring(0, label.length() - 1));
    return Optional.of(
        switch (label.charAt(label.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        });
  }

  private static void put(Headers h, String key, String value) {
    h.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
