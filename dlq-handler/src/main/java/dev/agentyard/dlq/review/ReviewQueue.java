package dev.agentyard.dlq.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.ApprovalGrant;
import dev.agentyard.avro.AuditOutcome;
import dev.agentyard.avro.DlqAction;
import dev.agentyard.avro.DlqAuditEvent;
import dev.agentyard.avro.InlineText;
import dev.agentyard.avro.LabelSource;
import dev.agentyard.avro.ModelTier;
import dev.agentyard.avro.ResultStatus;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.ReviewReason;
import dev.agentyard.avro.RouteLabel;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.avro.RoutingDecision;
import dev.agentyard.avro.RoutingMethod;
import dev.agentyard.avro.StopReason;
import dev.agentyard.dlq.DlqIo;
import dev.agentyard.dlq.DlqMetrics;
import dev.agentyard.dlq.audit.AuditTrail;
import dev.agentyard.dlq.inspect.DeadLetter;
import dev.agentyard.dlq.inspect.TopicScan;
import dev.agentyard.runtime.approval.ApprovalGrants;
import dev.agentyard.runtime.deadletter.DeadLetterHeaders;
import dev.agentyard.runtime.errors.SecretRedactor;
import dev.agentyard.runtime.tracing.TraceParent;
import dev.agentyard.runtime.tracing.Tracing;
import dev.agentyard.schemas.labels.LabelText;
import dev.agentyard.schemas.topics.Topics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The human review queue: review items (agent.review.v1) and the decisions taken on them. A
 * decision is its audit event: an item is open until a REVIEW_APPROVE or REVIEW_REJECT event for
 * its review id succeeded, and each decision is written in one transaction with its effect, so the
 * two never disagree.
 *
 * <ul>
 *   <li><b>Approve</b> sends the task back to its route (or the route the reviewer names) as a
 *       RoutedTask marked as decided by a reviewer; when the item proposed an irreversible action,
 *       with a signed, single-use {@link ApprovalGrant} for exactly that tool call.
 *   <li><b>Reject</b> ends the task with a final AgentResult of status REJECTED and the reason.
 * </ul>
 */
public final class ReviewQueue {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A review item and the decision on it, if any. */
  public record Entry(
      String coordinates,
      ReviewItem item,
      Optional<DlqAuditEvent> decision,
      Optional<String> traceId,
      Optional<Claim> claim) {
    public boolean open() {
      return decision.isEmpty();
    }

    /** Who holds the item at {@code now}, if anyone does. */
    public Optional<Claim> claimedAt(Instant now) {
      return claim.filter(c -> open() && c.until().isAfter(now));
    }
  }

  /** A reviewer's claim on an item: others may not decide it until {@code until}. */
  public record Claim(String actor, Instant at, Instant until) {}

  /**
   * Which items to list.
   *
   * @param status {@code open}, {@code decided} or {@code all}
   */
  public record Filter(
      String status, Optional<String> reason, Optional<String> route, Optional<String> tenant) {
    public static final List<String> STATUSES = List.of("open", "decided", "all");

    public Filter {
      if (!STATUSES.contains(status)) {
        throw new IllegalArgumentException(
            "status must be one of " + STATUSES + ", got '" + status + "'");
      }
    }

    public static Filter open() {
      return new Filter("open", Optional.empty(), Optional.empty(), Optional.empty());
    }

    boolean matches(Entry e) {
      ReviewItem i = e.item();
      return (status.equals("all") || (status.equals("open") == e.open()))
          && reason.map(r -> r.equalsIgnoreCase(i.getReason().name())).orElse(true)
          && route.map(r -> r.equals(i.getRoute())).orElse(true)
          && tenant.map(t -> t.equals(i.getTenant())).orElse(true);
    }
  }

  /** How a decision ended; {@code target} is where the task went. */
  public record Decision(
      String auditId,
      DlqAction action,
      String reviewId,
      String taskId,
      String target,
      Optional<String> grantId,
      AuditOutcome outcome,
      String detail) {}

  private final DlqIo io;
  private final TopicScan scan;
  private final Deserializer<ReviewItem> items;
  private final Deserializer<DlqAuditEvent> audits;
  private final Serializer<RoutedTask> routed;
  private final Serializer<AgentResult> results;
  private final Serializer<RouteLabel> labels;
  private final AuditTrail audit;
  private final Optional<ApprovalGrants> grants;
  private final Duration grantTtl;
  private final Duration claimTtl;
  private final Clock clock;
  private final DlqMetrics metrics;
  private final Tracing tracing;

  public ReviewQueue(
      DlqIo io,
      TopicScan scan,
      Deserializer<ReviewItem> items,
      Deserializer<DlqAuditEvent> audits,
      Serializer<RoutedTask> routed,
      Serializer<AgentResult> results,
      Serializer<RouteLabel> labels,
      AuditTrail audit,
      Optional<ApprovalGrants> grants,
      Duration grantTtl,
      Duration claimTtl,
      Clock clock,
      DlqMetrics metrics,
      Tracing tracing) {
    this.claimTtl = claimTtl;
    this.tracing = tracing;
    this.io = io;
    this.scan = scan;
    this.items = items;
    this.audits = audits;
    this.routed = routed;
    this.results = results;
    this.labels = labels;
    this.audit = audit;
    this.grants = grants;
    this.grantTtl = grantTtl;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The review items the filter selects, oldest first. */
  public List<Entry> list(Filter filter) {
    return entries().stream().map(RawEntry::entry).filter(filter::matches).toList();
  }

  /** One review item by id. */
  public Optional<Entry> find(String reviewId) {
    return entries().stream()
        .map(RawEntry::entry)
        .filter(e -> e.item().getReviewId().equals(reviewId))
        .findFirst();
  }

  /**
   * Every audit event, oldest first (by when it happened: a deployment may give the audit topic
   * several partitions).
   */
  public List<DlqAuditEvent> auditTrail() {
    List<DlqAuditEvent> out = new ArrayList<>();
    scan.scan(
        List.of(Topics.DLQ_AUDIT.name()),
        Optional.empty(),
        r -> {
          if (r.value() != null) {
            out.add(audits.deserialize(r.topic(), r.headers(), r.value()));
          }
        });
    out.sort(Comparator.comparing(DlqAuditEvent::getOccurredAt));
    return out;
  }

  /**
   * Approves a review item: the task goes back to {@code route} (default: the item's route) with
   * the reviewer's decision and, for a proposed irreversible action, a grant for exactly that call.
   *
   * @throws NoSuchElementException when no review item has that id
   */
  public Decision approve(String reviewId, String actor, String reason, Optional<String> route) {
    return decide(reviewId, actor, reason, DlqAction.REVIEW_APPROVE, route);
  }

  /**
   * Rejects a review item: the task ends with a final REJECTED result carrying the reason.
   *
   * @throws NoSuchElementException when no review item has that id
   */
  public Decision reject(String reviewId, String actor, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException(
          "a rejection needs a reason: it is the task's final result");
    }
    return decide(reviewId, actor, reason, DlqAction.REVIEW_REJECT, Optional.empty());
  }

  /**
   * Claims a review item for {@code actor} for the claim time ({@code dlq.review.claim-ttl}): no
   * other reviewer may decide it meanwhile. Claiming an item one holds renews the claim; an item
   * decided, or held by another, is refused. Audited like a decision.
   *
   * @throws NoSuchElementException when no review item has that id
   */
  public Decision claim(String reviewId, String actor) {
    String auditId = AuditTrail.newId();
    DlqAction action = DlqAction.REVIEW_CLAIM;
    try (Producer<byte[], byte[]> producer = io.transactionalProducer()) {
      producer.initTransactions(); // fences another console, then reads the claims
      RawEntry raw = raw(reviewId);
      Entry entry = raw.entry();
      Instant now = clock.instant();
      Optional<String> refusal =
          !entry.open()
              ? Optional.of("already decided by " + entry.decision().get().getActor())
              : entry
                  .claimedAt(now)
                  .filter(c -> !c.actor().equals(actor))
                  .map(c -> "claimed by " + c.actor() + " until " + c.until());
      AuditOutcome outcome = refusal.isPresent() ? AuditOutcome.REFUSED : AuditOutcome.SUCCEEDED;
      String detail = refusal.orElse("claimed until " + now.plus(claimTtl));
      producer.beginTransaction();
      producer.send(
          audit.record(reviewEvent(auditId, action, actor, null, outcome, raw, detail).build()));
      producer.commitTransaction();
      metrics.action(action.name(), outcome.name());
      return new Decision(
          auditId,
          action,
          reviewId,
          entry.item().getTaskId(),
          null,
          Optional.empty(),
          outcome,
          detail);
    } catch (KafkaException e) {
      return failed(auditId, action, reviewId, e);
    }
  }

  private Decision decide(
      String reviewId, String actor, String reason, DlqAction action, Optional<String> route) {
    String auditId = AuditTrail.newId();
    try (Producer<byte[], byte[]> producer = io.transactionalProducer()) {
      producer
          .initTransactions(); // fences another console deciding at the same time; then read the
      // decisions
      RawEntry raw = raw(reviewId);
      Entry entry = raw.entry();
      ReviewItem item = entry.item();
      Optional<String> refusal = Optional.empty();
      if (!entry.open()) {
        DlqAuditEvent d = entry.decision().get();
        refusal =
            Optional.of(
                "already decided: "
                    + d.getAction()
                    + " by "
                    + d.getActor()
                    + " at "
                    + d.getOccurredAt());
      } else if (entry
          .claimedAt(clock.instant())
          .filter(c -> !c.actor().equals(actor))
          .isPresent()) {
        Claim c = entry.claimedAt(clock.instant()).get();
        refusal =
            Optional.of("claimed by " + c.actor() + " until " + c.until() + ": they decide it");
      } else if (item.getTask() == null) {
        refusal =
            Optional.of(
                "the review item does not carry its task, so it cannot be sent back or closed from here");
      }
      ProducerRecord<byte[], byte[]> effect = null;
      Optional<ProducerRecord<byte[], byte[]>> label = Optional.empty();
      String target = null;
      Optional<String> grantId = Optional.empty();
      if (refusal.isEmpty() && action == DlqAction.REVIEW_APPROVE) {
        String r = route.orElse(item.getRoute());
        if (r == null) {
          refusal =
              Optional.of(
                  "the item was never routed ("
                      + item.getReason()
                      + "): name the route to send it to");
        } else if (io.partitions(Topics.route(r).name()).isEmpty()) {
          refusal = Optional.of("route topic " + Topics.route(r).name() + " does not exist");
        } else if (item.getProposedAction() != null && grants.isEmpty()) {
          refusal =
              Optional.of(
                  "the item proposes an irreversible action and no approval signing key is configured"
                      + " (approval.signing-key-file or AGENTYARD_APPROVAL_SIGNING_KEY)");
        } else {
          ApprovalGrant grant = item.getProposedAction() == null ? null : grant(item, actor);
          grantId = Optional.ofNullable(grant).map(ApprovalGrant::getGrantId);
          target = Topics.route(r).name();
          effect =
              approved(
                  raw,
                  r,
                  target,
                  grant,
                  auditId,
                  actor,
                  decisionTrace(raw, action, target, auditId));
          label = label(item, r, route.isPresent(), actor, reason);
        }
      } else if (refusal.isEmpty()) {
        target = Topics.RESULTS.name();
        effect =
            rejected(
                raw,
                reason,
                auditId,
                actor,
                decisionTrace(raw, action, Topics.RESULTS.name(), auditId));
      }
      AuditOutcome outcome = refusal.isPresent() ? AuditOutcome.REFUSED : AuditOutcome.SUCCEEDED;
      String detail =
          refusal.orElse(
              action == DlqAction.REVIEW_APPROVE
                  ? "sent to "
                      + target
                      + grantId
                          .map(g -> " with approval grant " + g + " for " + toolOf(item))
                          .orElse("")
                      + (label.isPresent()
                          ? "; kept as a labelled example for the router's classifier"
                          : "")
                  : "final REJECTED result written");
      producer.beginTransaction();
      if (effect != null) {
        producer.send(effect);
      }
      label.ifPresent(producer::send);
      producer.send(
          audit.record(
              reviewEvent(auditId, action, actor, reason, outcome, raw, detail)
                  .setTargetTopic(effect == null ? null : target)
                  .setRecordCount(effect == null ? 0 : 1)
                  .setRefusedCount(effect == null ? 1 : 0)
                  .build()));
      producer.commitTransaction();
      metrics.action(action.name(), outcome.name());
      return new Decision(
          auditId,
          action,
          reviewId,
          item.getTaskId(),
          effect == null ? null : target,
          grantId,
          outcome,
          detail);
    } catch (KafkaException e) {
      return failed(auditId, action, reviewId, e);
    }
  }

  /** The audit event of an action on one review item, as claims and decisions record it. */
  private DlqAuditEvent.Builder reviewEvent(
      String auditId,
      DlqAction action,
      String actor,
      String reason,
      AuditOutcome outcome,
      RawEntry raw,
      String detail) {
    String reviewId = raw.entry().item().getReviewId();
    return audit
        .event(auditId, action, actor, reason, Topics.REVIEW.name(), outcome)
        .setSourcePartition(raw.partition())
        .setSourceOffset(raw.offset())
        .setTaskId(raw.entry().item().getTaskId())
        .setReviewId(reviewId)
        .setSelection("review " + reviewId)
        .setDetail(detail);
  }

  private RawEntry raw(String reviewId) {
    return entries().stream()
        .filter(e -> e.entry().item().getReviewId().equals(reviewId))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException("no review item with id " + reviewId));
  }

  /**
   * An action the cluster did not take (its transaction failed): reported, counted, not audited.
   */
  private Decision failed(String auditId, DlqAction action, String reviewId, KafkaException e) {
    metrics.action(action.name(), AuditOutcome.FAILED.name());
    return new Decision(
        auditId,
        action,
        reviewId,
        null,
        null,
        Optional.empty(),
        AuditOutcome.FAILED,
        SecretRedactor.redact(e.getClass().getSimpleName() + ": " + e.getMessage()));
  }

  private ApprovalGrant grant(ReviewItem item, String actor) {
    JsonNode proposed;
    try {
      proposed = JSON.readTree(item.getProposedAction());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "the proposed action of review " + item.getReviewId() + " is not JSON", e);
    }
    if (!proposed.path("tool").isTextual() || !proposed.has("input")) {
      throw new IllegalArgumentException(
          "the proposed action of review " + item.getReviewId() + " names no tool and input");
    }
    return grants
        .orElseThrow()
        .issue(
            item.getTaskId(),
            proposed.get("tool").asText(),
            proposed.get("input").toString(),
            item.getReviewId(),
            actor,
            grantTtl);
  }

  private static String toolOf(ReviewItem item) {
    try {
      return JSON.readTree(item.getProposedAction()).path("tool").asText();
    } catch (IOException e) {
      return "?";
    }
  }

  /**
   * The reviewer's decision as a span in the task's trace (child of the review item's), which the
   * decision's effect names, so the run it starts (or the final result) continues the trace. Empty
   * when the item carries no trace and no span is recorded.
   */
  private Optional<TraceParent> decisionTrace(
      RawEntry raw, DlqAction action, String target, String auditId) {
    Span span =
        tracing
            .tracer()
            .spanBuilder(action == DlqAction.REVIEW_APPROVE ? "review approve" : "review reject")
            .setSpanKind(SpanKind.PRODUCER)
            .setParent(Tracing.parentOf(raw.headers()))
            .setAttribute(Tracing.MESSAGING_SYSTEM, "kafka")
            .setAttribute(Tracing.MESSAGING_OPERATION_TYPE, "send")
            .setAttribute(Tracing.MESSAGING_DESTINATION, target)
            .setAttribute(REVIEW_ID, raw.entry().item().getReviewId())
            .setAttribute(TASK_ID, raw.entry().item().getTaskId())
            .setAttribute(REVIEW_REASON, raw.entry().item().getReason().name())
            .setAttribute(AUDIT_ID, auditId)
            .startSpan();
    boolean recorded = span.isRecording();
    TraceParent trace = Tracing.traceParent(span, raw.headers());
    span.end();
    return recorded || TraceParent.from(raw.headers()).isPresent()
        ? Optional.of(trace)
        : Optional.empty();
  }

  private static final AttributeKey<String> REVIEW_ID =
      AttributeKey.stringKey("agentyard.review.id");
  private static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("agentyard.task.id");
  private static final AttributeKey<String> REVIEW_REASON =
      AttributeKey.stringKey("agentyard.review.reason");
  private static final AttributeKey<String> AUDIT_ID = AttributeKey.stringKey("agentyard.audit.id");

  private ProducerRecord<byte[], byte[]> approved(
      RawEntry raw,
      String route,
      String topic,
      ApprovalGrant grant,
      String auditId,
      String actor,
      Optional<TraceParent> trace) {
    ReviewItem item = raw.entry().item();
    RoutedTask task =
        RoutedTask.newBuilder()
            .setTaskId(item.getTaskId())
            .setRoute(route)
            .setModelTier(ModelTier.UNKNOWN)
            .setDecision(
                RoutingDecision.newBuilder()
                    .setMethod(RoutingMethod.REVIEWER)
                    .setConfidence(1.0)
                    .build())
            .setRoutedAt(clock.instant())
            .setExtractedText(item.getExtractedText())
            .setTask(item.getTask())
            .setApproval(grant)
            .build();
    Headers h = provenance(raw, auditId, actor, trace);
    return new ProducerRecord<>(
        topic,
        null,
        null,
        item.getTaskId().getBytes(StandardCharsets.UTF_8),
        routed.serialize(topic, h, task),
        h);
  }

  /**
   * A reviewer's route decision as a labelled example for the router's classifier: when the router
   * could not decide (its LOW_CONFIDENCE items) or the reviewer sends the task to another route
   * than the one it was on. Never for a suspected injection. Digits are folded ({@link LabelText}).
   */
  private Optional<ProducerRecord<byte[], byte[]>> label(
      ReviewItem item, String route, boolean named, String actor, String reason) {
    boolean routerUnsure =
        "router".equals(item.getStage()) && item.getReason() == ReviewReason.LOW_CONFIDENCE;
    boolean rerouted = named && !route.equals(item.getRoute());
    String text =
        item.getExtractedText() != null
            ? item.getExtractedText()
            : item.getTask() != null
                    && item.getTask().getDocument().getContent() instanceof InlineText t
                ? t.getText()
                : null;
    if (item.getReason() == ReviewReason.INJECTION_SUSPECTED
        || !(routerUnsure || rerouted)
        || text == null
        || text.isBlank()) {
      return Optional.empty();
    }
    RouteLabel l =
        RouteLabel.newBuilder()
            .setTaskId(item.getTaskId())
            .setTenant(item.getTenant())
            .setRoute(route)
            .setSource(LabelSource.REVIEWER)
            .setLabelledBy(actor)
            .setReason(reason == null || reason.isBlank() ? null : SecretRedactor.redact(reason))
            .setText(LabelText.of(text))
            .setLabelledAt(clock.instant())
            .build();
    String topic = Topics.ROUTE_LABELS.name();
    return Optional.of(
        new ProducerRecord<>(
            topic, item.getTaskId().getBytes(StandardCharsets.UTF_8), labels.serialize(topic, l)));
  }

  private ProducerRecord<byte[], byte[]> rejected(
      RawEntry raw, String reason, String auditId, String actor, Optional<TraceParent> trace) {
    ReviewItem item = raw.entry().item();
    ObjectNode output = JSON.createObjectNode();
    output.put("rejected", true);
    output.put("reason", SecretRedactor.redact(reason));
    output.put("reviewId", item.getReviewId());
    output.put("reviewReason", item.getReason().name());
    output.put("rejectedBy", actor);
    AgentResult result =
        AgentResult.newBuilder()
            .setTaskId(item.getTaskId())
            .setCorrelationId(item.getCorrelationId())
            .setTenant(item.getTenant())
            .setRoute(item.getRoute() == null ? "review" : item.getRoute())
            .setProvider("none")
            .setModel("none")
            .setModelTier(ModelTier.UNKNOWN)
            .setStatus(ResultStatus.REJECTED)
            .setOutput(output.toString())
            .setOutputSchemaVersion(null)
            .setStopReason(item.getStopReason() == null ? StopReason.UNKNOWN : item.getStopReason())
            .setTurns(0)
            .setToolCalls(0)
            .setModelCalls(0)
            .setInputTokens(0)
            .setOutputTokens(0)
            .setCostMicroUsd(item.getCostSoFarMicroUsd())
            .setStartedAt(item.getCreatedAt())
            .setCompletedAt(clock.instant())
            .setMetadata(item.getTask() == null ? Map.of() : item.getTask().getMetadata())
            .build();
    Headers h = provenance(raw, auditId, actor, trace);
    String topic = Topics.RESULTS.name();
    return new ProducerRecord<>(
        topic,
        null,
        null,
        item.getTaskId().getBytes(StandardCharsets.UTF_8),
        results.serialize(topic, h, result),
        h);
  }

  /**
   * Who sent it and from where; the trace of the review item continues; counted as a replay so
   * workers take it past their de-duplication.
   */
  private Headers provenance(
      RawEntry raw, String auditId, String actor, Optional<TraceParent> trace) {
    Headers h = new RecordHeaders();
    trace.ifPresent(t -> t.writeTo(h));
    put(h, DeadLetterHeaders.REPLAYED_COUNT, "1");
    put(h, DeadLetterHeaders.REPLAY_ID, auditId);
    put(h, DeadLetterHeaders.REPLAY_SOURCE, raw.entry().coordinates());
    put(h, DeadLetterHeaders.REPLAY_ACTOR, actor);
    put(h, DeadLetterHeaders.REPLAY_AT, clock.instant().toString());
    return h;
  }

  private record RawEntry(Entry entry, Headers headers, int partition, long offset) {}

  private List<RawEntry> entries() {
    Map<String, DlqAuditEvent> decisions = new HashMap<>();
    Map<String, Claim> claims = new HashMap<>();
    for (DlqAuditEvent e : auditTrail()) {
      if (e.getOutcome() != AuditOutcome.SUCCEEDED || e.getReviewId() == null) {
        continue;
      }
      if (e.getAction() == DlqAction.REVIEW_APPROVE || e.getAction() == DlqAction.REVIEW_REJECT) {
        decisions.put(e.getReviewId(), e);
      } else if (e.getAction() == DlqAction.REVIEW_CLAIM) {
        // the trail is in order: the latest claim of an item wins
        claims.put(
            e.getReviewId(),
            new Claim(e.getActor(), e.getOccurredAt(), e.getOccurredAt().plus(claimTtl)));
      }
    }
    List<RawEntry> out = new ArrayList<>();
    scan.scan(
        List.of(Topics.REVIEW.name()),
        Optional.empty(),
        r -> {
          if (r.value() == null) {
            return;
          }
          ReviewItem item;
          try {
            item = items.deserialize(r.topic(), r.headers(), r.value());
          } catch (RuntimeException e) {
            return; // not a review item this console can read; the review topic's consumers
            // dead-letter such records
          }
          String coords = DeadLetter.coordinates(r.topic(), r.partition(), r.offset());
          out.add(
              new RawEntry(
                  new Entry(
                      coords,
                      item,
                      Optional.ofNullable(decisions.get(item.getReviewId())),
                      TraceParent.from(r.headers()).map(TraceParent::traceId),
                      Optional.ofNullable(claims.get(item.getReviewId()))),
                  copy(r.headers()),
                  r.partition(),
                  r.offset()));
        });
    out.sort(Comparator.comparing(e -> e.entry().item().getCreatedAt()));
    return out;
  }

  private static Headers copy(Headers headers) {
    Headers h = new RecordHeaders();
    for (Header x : headers) {
      h.add(x.key(), x.value());
    }
    return h;
  }

  private static void put(Headers h, String key, String value) {
    h.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
