package dev.agentyard.dlq;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.AuditOutcome;
import dev.agentyard.avro.BudgetAtLimit;
import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetMode;
import dev.agentyard.avro.ControlAction;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ControlScope;
import dev.agentyard.avro.DlqAction;
import dev.agentyard.avro.DlqAuditEvent;
import dev.agentyard.avro.DlqDisposition;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.RouteLabel;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.dlq.audit.AuditTrail;
import dev.agentyard.dlq.inspect.DeadLetter;
import dev.agentyard.dlq.inspect.DeadLetterBrowser;
import dev.agentyard.dlq.inspect.TopicScan;
import dev.agentyard.dlq.inspect.ValueDecoder;
import dev.agentyard.dlq.replay.Pacer;
import dev.agentyard.dlq.replay.Redrive;
import dev.agentyard.dlq.review.ReviewQueue;
import dev.agentyard.runtime.approval.ApprovalGrants;
import dev.agentyard.runtime.budget.BudgetIds;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.runtime.kafka.KafkaClients;
import dev.agentyard.runtime.tracing.Telemetry;
import dev.agentyard.runtime.tracing.Tracing;
import dev.agentyard.schemas.registry.SchemaRegistryClient;
import dev.agentyard.schemas.registry.SchemaRegistryClients;
import dev.agentyard.schemas.serde.AvroSerde;
import dev.agentyard.schemas.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The core the CLI and the HTTP API share: browse, inspect, replay, park, review, audit. Wires the
 * Kafka clients, the registry client and the serdes from a {@link DlqConfig}; every writing action
 * makes its own transactional producer (see {@link DlqIo}).
 */
public final class DlqConsole implements AutoCloseable {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DlqConsole.class);

  /** One dead letter, decoded for reading, and what was done with it. */
  public record Inspection(
      DeadLetter letter, ObjectNode value, Optional<DlqDisposition> disposition) {}

  private final DlqConfig config;
  private final SchemaRegistryClient registry;
  private final Admin admin;
  private final DeadLetterBrowser browser;
  private final ValueDecoder decoder;
  private final Map<String, Object> serdeConfig;
  private final Redrive redrive;
  private final ReviewQueue reviews;
  private final AuditTrail audit;
  private final DlqIo io;
  private final DlqMetrics metrics;
  private final TopicScan scan;
  private final Clock clock;
  private final org.apache.kafka.common.serialization.Serializer<ControlCommand> controlSerializer;
  private final org.apache.kafka.common.serialization.Deserializer<AgentResult> resultReader;
  private final org.apache.kafka.common.serialization.Serializer<BudgetDefinition> budgetWriter;
  private final org.apache.kafka.common.serialization.Deserializer<BudgetDefinition> budgetReader;

  /** The SDK this console created for itself (command line), closed with it. */
  private OpenTelemetrySdk owned;

  private DlqConsole(
      DlqConfig config,
      SchemaRegistryClient registry,
      Admin admin,
      DlqIo io,
      TopicScan scan,
      Map<String, Object> serdeConfig,
      Clock clock,
      Pacer.Sleeper sleeper,
      DlqMetrics metrics,
      Tracing tracing) {
    this.config = config;
    this.registry = registry;
    this.serdeConfig = serdeConfig;
    this.admin = admin;
    this.io = io;
    this.metrics = metrics;
    this.scan = scan;
    this.clock = clock;
    this.controlSerializer =
        AvroSerde.specific(ControlCommand.class, registry, serdeConfig).serializer();
    this.resultReader = AvroSerde.specific(AgentResult.class, registry, serdeConfig).deserializer();
    this.budgetWriter =
        AvroSerde.specific(BudgetDefinition.class, registry, serdeConfig).serializer();
    this.budgetReader =
        AvroSerde.specific(BudgetDefinition.class, registry, serdeConfig).deserializer();
    this.audit =
        new AuditTrail(
            AvroSerde.specific(DlqAuditEvent.class, registry, serdeConfig).serializer(), clock);
    this.browser =
        new DeadLetterBrowser(
            scan,
            this::topicNames,
            AvroSerde.specific(DlqDisposition.class, registry, serdeConfig).deserializer());
    this.decoder = new ValueDecoder(registry);
    this.redrive =
        new Redrive(
            io,
            browser,
            AvroSerde.specific(DlqDisposition.class, registry, serdeConfig).serializer(),
            audit,
            new Redrive.Limits(config.maxReplays(), config.batchSize()),
            clock,
            System::nanoTime,
            sleeper,
            metrics,
            tracing);
    this.reviews =
        new ReviewQueue(
            io,
            scan,
            AvroSerde.specific(ReviewItem.class, registry, serdeConfig).deserializer(),
            AvroSerde.specific(DlqAuditEvent.class, registry, serdeConfig).deserializer(),
            AvroSerde.specific(RoutedTask.class, registry, serdeConfig).serializer(),
            AvroSerde.specific(AgentResult.class, registry, serdeConfig).serializer(),
            AvroSerde.specific(RouteLabel.class, registry, serdeConfig).serializer(),
            audit,
            config.approvalKey().map(k -> ApprovalGrants.of(k, clock)),
            config.approvalTtl(),
            config.claimTtl(),
            clock,
            metrics,
            tracing);
  }

  /** Connects to the cluster and registry of the config. */
  public static DlqConsole connect(DlqConfig config, MeterRegistry meters) {
    OpenTelemetrySdk otel = Telemetry.autoconfigure(DlqConfig.SERVICE, System.getenv());
    DlqConsole c =
        connect(
            config,
            new DefaultKafkaClients(config.kafka()),
            meters,
            Clock.systemUTC(),
            Pacer.Sleeper.REAL,
            new Tracing(otel));
    c.owned = otel; // a command's spans are flushed when it closes the console
    return c;
  }

  /**
   * As {@link #connect(DlqConfig, MeterRegistry)}, through the given clients, with the clock and
   * sleeper injected.
   */
  public static DlqConsole connect(
      DlqConfig config,
      KafkaClients clients,
      MeterRegistry meters,
      Clock clock,
      Pacer.Sleeper sleeper,
      Tracing tracing) {
    Admin admin = clients.admin();
    SchemaRegistryClient registry = SchemaRegistryClients.create(clients.serdeConfig());
    Duration timeout = config.scanTimeout();
    TopicScan scan =
        new TopicScan(
            () -> {
              Map<String, Object> c = clients.consumerConfig("unused");
              c.remove(
                  ConsumerConfig
                      .GROUP_ID_CONFIG); // assigned partitions, nothing committed: browsing leaves
              // no trace
              c.put(ConsumerConfig.CLIENT_ID_CONFIG, config.kafka().clientId() + "-scan");
              return new KafkaConsumer<>(
                  c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            },
            timeout);
    DlqIo io =
        new DlqIo() {
          @Override
          public Producer<byte[], byte[]> transactionalProducer() {
            Map<String, Object> c = clients.producerConfig("console");
            c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, config.transactionalId());
            // a console action that stalls (an operator's laptop asleep) must not hold the LSO back
            // for long
            c.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
            return new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer());
          }

          @Override
          public Producer<byte[], byte[]> producer() {
            return new KafkaProducer<>(
                clients.producerConfig("console-audit"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
          }

          @Override
          public Optional<Integer> partitions(String topic) {
            try {
              TopicDescription d =
                  admin
                      .describeTopics(List.of(topic))
                      .allTopicNames()
                      .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                      .get(topic);
              return Optional.of(d.partitions().size());
            } catch (ExecutionException e) {
              if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
              }
              throw new IllegalStateException(
                  "cannot describe topic " + topic + ": " + e.getCause().getMessage(),
                  e.getCause());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("interrupted", e);
            } catch (TimeoutException e) {
              throw new IllegalStateException(
                  "the cluster did not describe topic " + topic + " within " + timeout, e);
            }
          }
        };
    return new DlqConsole(
        config,
        registry,
        admin,
        io,
        scan,
        clients.serdeConfig(),
        clock,
        sleeper,
        new DlqMetrics(meters),
        tracing);
  }

  private List<String> topicNames() {
    try {
      return List.copyOf(
          admin.listTopics().names().get(config.scanTimeout().toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot list the cluster's topics: " + e.getMessage(), e);
    }
  }

  public DlqConfig config() {
    return config;
  }

  public DeadLetterBrowser browser() {
    return browser;
  }

  public Redrive redrive() {
    return redrive;
  }

  public ReviewQueue reviews() {
    return reviews;
  }

  /**
   * The results written for a task since {@code since}, oldest first: what came of a review
   * decision (the worker's result of an approved item, with the grant it ran under; the rejection
   * itself). Reads the one partition of {@code agent.results.v1} the task id is keyed to.
   */
  public List<AgentResult> resultsOf(String taskId, Instant since) {
    List<AgentResult> out = new ArrayList<>();
    scan.scanKey(
        Topics.RESULTS.name(),
        taskId,
        Optional.of(since),
        r -> {
          if (r.value() != null) {
            try {
              out.add(resultReader.deserialize(r.topic(), r.headers(), r.value()));
            } catch (RuntimeException e) {
              // not a result this console can read: the results topic's consumers see it too
            }
          }
        });
    return out;
  }

  public DlqMetrics metrics() {
    return metrics;
  }

  /**
   * One dead letter, decoded. Showing document content is itself an audited action (INSPECT): it
   * reveals personal data.
   *
   * @throws NoSuchElementException when nothing is at those coordinates
   */
  public Inspection inspect(String coordinates, boolean showContent, String actor) {
    DeadLetter d =
        browser
            .find(coordinates)
            .orElseThrow(() -> new NoSuchElementException("no dead letter at " + coordinates));
    if (showContent) {
      sendAndWait(
          audit.record(
              audit
                  .event(
                      AuditTrail.newId(),
                      DlqAction.INSPECT,
                      actor,
                      "content shown",
                      d.topic(),
                      AuditOutcome.SUCCEEDED)
                  .setSourcePartition(d.partition())
                  .setSourceOffset(d.offset())
                  .setTaskId(d.run().taskId())
                  .setSelection(coordinates)
                  .setRecordCount(1)
                  .setDetail("document content shown unredacted")
                  .build()),
          "could not audit the inspection, so the content is not shown: ");
      metrics.action(DlqAction.INSPECT.name(), AuditOutcome.SUCCEEDED.name());
    }
    return new Inspection(
        d,
        decoder.decode(d.content().valueArray(), showContent),
        Optional.ofNullable(browser.dispositions().get(coordinates)));
  }

  /**
   * The steps a route's run journal holds for a task (ADR 0016), oldest first, decoded; tool inputs
   * and outputs and the model's answers redacted. Empty when the run ended (its steps are
   * tombstoned) or never started.
   */
  public List<ObjectNode> journal(String route, String taskId) {
    String topic = dev.agentyard.schemas.topics.Topics.journal(route).name();
    String prefix = taskId + "/";
    java.util.TreeMap<Integer, byte[]> steps = new java.util.TreeMap<>();
    scan.scan(
        List.of(topic),
        Optional.empty(),
        r -> {
          String key =
              r.key() == null ? "" : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
          if (!key.startsWith(prefix)) {
            return;
          }
          int seq;
          try {
            seq = Integer.parseInt(key.substring(prefix.length()));
          } catch (NumberFormatException e) {
            return;
          }
          if (r.value() == null) {
            steps.remove(seq);
          } else {
            steps.put(seq, r.value());
          }
        });
    List<ObjectNode> out = new java.util.ArrayList<>();
    steps.values().forEach(v -> out.add(decoder.decode(v, false)));
    return out;
  }

  /**
   * The usage events of one provider that completed in {@code [from, until)}, as the cost
   * aggregator counts them (one per attempt id: a duplicate written again after a crash is dropped
   * here too): our side of {@code dlq reconcile}.
   */
  public List<dev.agentyard.avro.ModelUsage> usage(String provider, Instant from, Instant until) {
    org.apache.kafka.common.serialization.Deserializer<dev.agentyard.avro.ModelUsage> usage =
        AvroSerde.specific(dev.agentyard.avro.ModelUsage.class, registry, serdeConfig)
            .deserializer();
    Map<String, dev.agentyard.avro.ModelUsage> byAttempt = new java.util.LinkedHashMap<>();
    String topic = dev.agentyard.schemas.topics.Topics.USAGE.name();
    // an event is written after its call completed: from a little before, so none is missed
    scan.scan(
        List.of(topic),
        Optional.of(from.minus(Duration.ofHours(1))),
        r -> {
          if (r.value() == null) {
            return;
          }
          dev.agentyard.avro.ModelUsage u;
          try {
            u = usage.deserialize(topic, r.headers(), r.value());
          } catch (RuntimeException undecodable) {
            return; // the cost aggregator dead-letters it; it is in no one's books
          }
          Instant at = u.getCompletedAt();
          if (u.getProvider().equals(provider) && !at.isBefore(from) && at.isBefore(until)) {
            byAttempt.putIfAbsent(u.getAttemptId(), u);
          }
        });
    return List.copyOf(byAttempt.values());
  }

  /**
   * Writes a control command (kill, pause, resume) on {@code agent.control.v1}: what on-call uses
   * to park a stuck run ({@code KILL task:<id>}: the run stops at its next turn and goes to review,
   * its journal tombstoned) or hold a route. The command names who issued it and why; it is the
   * audit record (the topic is compacted: the latest per key is kept).
   */
  public ControlCommand control(
      ControlScope scope,
      String target,
      ControlAction action,
      String reason,
      String actor,
      Optional<Duration> expiresIn) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a control command needs a reason");
    }
    Instant now = clock.instant();
    ControlCommand c =
        ControlCommand.newBuilder()
            .setCommandId(java.util.UUID.randomUUID().toString())
            .setScope(scope)
            .setTarget(scope == ControlScope.GLOBAL ? "*" : target)
            .setAction(action)
            .setReason(reason)
            .setIssuedBy(actor)
            .setIssuedAt(now)
            .setExpiresAt(expiresIn.map(now::plus).orElse(null))
            .build();
    String topic = dev.agentyard.schemas.topics.Topics.CONTROL.name();
    sendAndWait(
        new org.apache.kafka.clients.producer.ProducerRecord<>(
            topic,
            dev.agentyard.runtime.control.ControlState.key(scope, c.getTarget())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            controlSerializer.serialize(topic, c)),
        "could not write the control command: ");
    return c;
  }

  /**
   * The budgets the ledger enforces (ADR 0023), latest per id, from the compacted {@code
   * agent.budget.definitions.v1}.
   */
  public List<BudgetDefinition> budgets() {
    String topic = Topics.BUDGET_DEFINITIONS.name();
    Map<String, BudgetDefinition> latest = new java.util.TreeMap<>();
    scan.scan(
        List.of(topic),
        Optional.empty(),
        r -> {
          if (r.key() == null) {
            return;
          }
          String key = new String(r.key(), java.nio.charset.StandardCharsets.UTF_8);
          if (r.value() == null) {
            latest.remove(key);
            return;
          }
          try {
            latest.put(key, budgetReader.deserialize(topic, r.headers(), r.value()));
          } catch (RuntimeException undecodable) {
            log.warn("Budget definition {} at offset {} undecodable, skipped", key, r.offset());
          }
        });
    return List.copyOf(latest.values());
  }

  /**
   * Sets a budget (new or changed), live: the ledger and every worker read the definition as it is
   * committed, with the audit event of the change in the same transaction.
   *
   * @param budgetId {@code tenant:<t>|day}, {@code route:<r>|month} or {@code
   *     tenant-route:<t>/<r>|day}
   * @param leaseMicroUsd LEASE mode's slice; 0 lets the ledger choose a twentieth of the limit
   */
  public BudgetDefinition setBudget(
      String budgetId,
      long limitMicroUsd,
      BudgetMode mode,
      BudgetAtLimit atLimit,
      long leaseMicroUsd,
      String reason,
      String actor) {
    BudgetIds.Parsed id = BudgetIds.parse(budgetId);
    if (limitMicroUsd <= 0) {
      throw new IllegalArgumentException("a budget's limit must be positive");
    }
    if (leaseMicroUsd < 0 || leaseMicroUsd > limitMicroUsd) {
      throw new IllegalArgumentException("a lease is between 0 (the ledger chooses) and the limit");
    }
    if (mode == null || mode == BudgetMode.UNKNOWN) {
      throw new IllegalArgumentException("mode is hard or lease");
    }
    if (atLimit == null || atLimit == BudgetAtLimit.UNKNOWN) {
      throw new IllegalArgumentException("at-limit is review, wait or fallback");
    }
    requireReason(reason);
    BudgetDefinition d =
        BudgetDefinition.newBuilder()
            .setBudgetId(BudgetIds.of(id.tenant(), id.route(), id.period()))
            .setTenant(id.tenant())
            .setRoute(id.route())
            .setPeriod(id.period())
            .setLimitMicroUsd(limitMicroUsd)
            .setMode(mode)
            .setLeaseMicroUsd(leaseMicroUsd)
            .setAtLimit(atLimit)
            .setUpdatedBy(actor)
            .setUpdatedAt(clock.instant())
            .setReason(reason)
            .build();
    String topic = Topics.BUDGET_DEFINITIONS.name();
    budgetChange(
        d.getBudgetId(),
        budgetWriter.serialize(topic, d),
        DlqAction.BUDGET_SET,
        reason,
        actor,
        String.format(
            "limit %d µUSD per %s, %s mode, at the limit %s%s",
            limitMicroUsd,
            id.period().name().toLowerCase(java.util.Locale.ROOT),
            mode.name().toLowerCase(java.util.Locale.ROOT),
            atLimit.name().toLowerCase(java.util.Locale.ROOT),
            mode == BudgetMode.LEASE ? ", lease " + leaseMicroUsd + " µUSD" : ""));
    return d;
  }

  /** Deletes a budget (a tombstone), audited; the ledger stops limiting it at once. */
  public void deleteBudget(String budgetId, String reason, String actor) {
    BudgetIds.parse(budgetId);
    requireReason(reason);
    if (budgets().stream().noneMatch(b -> b.getBudgetId().equals(budgetId))) {
      throw new java.util.NoSuchElementException("no budget " + budgetId);
    }
    budgetChange(budgetId, null, DlqAction.BUDGET_DELETE, reason, actor, "deleted");
  }

  private static void requireReason(String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a budget change needs a reason (--why)");
    }
  }

  /** The definition (or tombstone) and its audit event, in one transaction. */
  private void budgetChange(
      String budgetId, byte[] value, DlqAction action, String reason, String actor, String detail) {
    String topic = Topics.BUDGET_DEFINITIONS.name();
    try (Producer<byte[], byte[]> producer = io.transactionalProducer()) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(
          new org.apache.kafka.clients.producer.ProducerRecord<>(
              topic, budgetId.getBytes(java.nio.charset.StandardCharsets.UTF_8), value));
      producer.send(
          audit.record(
              audit
                  .event(AuditTrail.newId(), action, actor, reason, topic, AuditOutcome.SUCCEEDED)
                  .setSelection(budgetId)
                  .setDetail(detail)
                  .setRecordCount(1)
                  .build()));
      producer.commitTransaction();
      metrics.action(action.name(), AuditOutcome.SUCCEEDED.name());
      log.info("Budget {} {} by {}: {}", budgetId, action, actor, detail);
    }
  }

  /** Writes one record with the plain producer and waits for it; fails with {@code failure}. */
  private void sendAndWait(
      org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> record, String failure) {
    try (Producer<byte[], byte[]> p = io.producer()) {
      p.send(record).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(failure + e.getCause().getMessage(), e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
    registry.close();
    if (owned != null) {
      owned.close();
    }
  }
}
