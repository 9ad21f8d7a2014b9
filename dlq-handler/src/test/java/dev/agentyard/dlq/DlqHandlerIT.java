package dev.agentyard.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.AuditOutcome;
import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetMode;
import dev.agentyard.avro.ControlAction;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ControlScope;
import dev.agentyard.avro.DlqAction;
import dev.agentyard.avro.DlqAuditEvent;
import dev.agentyard.avro.Document;
import dev.agentyard.avro.InlineText;
import dev.agentyard.avro.JournalStepKind;
import dev.agentyard.avro.LabelSource;
import dev.agentyard.avro.ResultStatus;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.ReviewReason;
import dev.agentyard.avro.RouteLabel;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.avro.RoutingMethod;
import dev.agentyard.avro.RunJournalEntry;
import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.dlq.inspect.DeadLetter;
import dev.agentyard.dlq.inspect.DeadLetterBrowser;
import dev.agentyard.dlq.inspect.DeadLetterFilter;
import dev.agentyard.dlq.inspect.TopicScan;
import dev.agentyard.dlq.replay.Pacer;
import dev.agentyard.dlq.replay.Redrive;
import dev.agentyard.dlq.review.ReviewQueue;
import dev.agentyard.runtime.approval.ApprovalGrants;
import dev.agentyard.runtime.deadletter.DeadLetterContext;
import dev.agentyard.runtime.deadletter.DeadLetterHeaders;
import dev.agentyard.runtime.deadletter.DeadLetterReason;
import dev.agentyard.runtime.deadletter.DeadLetterRecords;
import dev.agentyard.runtime.deadletter.RetryHeaders;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.schemas.serde.AvroDeserializer;
import dev.agentyard.schemas.serde.AvroSerializer;
import dev.agentyard.schemas.topics.TopicProvisioner;
import dev.agentyard.schemas.topics.TopicSpec;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console on a real broker (KRaft) and a real registry: dead letters of every header convention
 * listed and decoded, filters, dry runs, exactly-once replays across an interrupted run, the loop
 * guard, parking, review decisions, the audit trail, and the HTTP API's authentication. Each test
 * works on its own source topic, so tests never see each other's dead letters.
 */
@ExtendWith(KafkaAndRegistryExtension.class)
class DlqHandlerIT {

  static final String SIGNING_KEY = "it-signing-key-0123456789abcdef-0123456789";
  static final String TOKEN = "it-token-0123456789abcdef";
  static final Instant T0 = Instant.parse("2026-11-21T03:00:00Z");

  KafkaCluster kafka;
  SchemaRegistryEndpoint registry;
  KafkaProducer<byte[], byte[]> producer;
  AvroSerializer<Object> serializer;
  AvroDeserializer<Object> deserializer;
  DlqConsole console;
  TopicScan reader;
  String source;
  String dlq;

  @BeforeEach
  void setUp(KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    this.kafka = kafka;
    this.registry = registry;
    source = "it-src-" + UUID.randomUUID().toString().substring(0, 8);
    dlq = source + ".dlq";
    TopicSpec src = TopicSpec.rawBytes(source, 3, Duration.ofDays(1), "test source");
    List<TopicSpec> topics =
        new ArrayList<>(
            Topics.catalogue(Topics.DEFAULT_ROUTES).stream()
                .map(t -> t.withPartitions(3))
                .toList());
    topics.add(src);
    topics.add(Topics.deadLetter(src));
    topics.add(Topics.parked(Topics.deadLetter(src)));
    topics.add(Topics.retry(src, Duration.ofMinutes(1)));
    try (Admin admin = kafka.admin()) {
      new TopicProvisioner(admin, (short) 1).apply(topics, false);
    }
    serializer = new AvroSerializer<>();
    serializer.configure(
        Map.of("schema.registry.url", registry.url(), "auto.register.schemas", true), false);
    deserializer = new AvroDeserializer<>();
    deserializer.configure(
        Map.of("schema.registry.url", registry.url(), "specific.avro.reader", true), false);
    Map<String, Object> p = new HashMap<>(kafka.clientProperties());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    console = connect(dev.agentyard.runtime.tracing.Tracing.off());
    reader =
        new TopicScan(
            () -> {
              Map<String, Object> c = new HashMap<>(kafka.clientProperties());
              c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
              c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
              return new KafkaConsumer<>(
                  c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            },
            Duration.ofSeconds(30));
  }

  @AfterEach
  void tearDown() {
    console.close();
    producer.close();
  }

  /** A console on this test's cluster, with the given tracing. */
  DlqConsole connect(dev.agentyard.runtime.tracing.Tracing tracing) {
    DlqConfig consoleConfig = DlqConfig.withDefaults(config(), Map.of());
    return DlqConsole.connect(
        consoleConfig,
        new DefaultKafkaClients(consoleConfig.kafka()),
        new SimpleMeterRegistry(),
        Clock.systemUTC(),
        Pacer.Sleeper.REAL,
        tracing);
  }

  Map<String, String> config() {
    Map<String, String> c = new HashMap<>();
    c.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    c.put("schema.registry.url", registry.url());
    c.put("kafka.replication.factor", "1");
    c.put("dlq.replay.batch-size", "10");
    c.put("dlq.replay.rate-per-second", "100000");
    c.put("approval.signing-key", SIGNING_KEY);
    c.put("dlq.http.token", TOKEN);
    c.put("http.port", "0");
    c.put("dlq.trace-link", "http://127.0.0.1:9411/zipkin/traces/{traceId}");
    return c;
  }

  static TaskSubmitted task(String id) {
    return TaskSubmitted.newBuilder()
        .setTaskId(id)
        .setCorrelationId("loan-" + id)
        .setTenant("acme-bank")
        .setSubmittedAt(T0)
        .setDocument(
            Document.newBuilder()
                .setDocumentId("doc-" + id)
                .setMediaType("text/plain")
                .setContent(
                    InlineText.newBuilder()
                        .setText(
                            "Form W-2 Wage and Tax Statement 2025. Wages 84,200.00 SSN 123-45-6789")
                        .build())
                .build())
        .build();
  }

  byte[] value(TaskSubmitted t) {
    return serializer.serialize(source, t);
  }

  /** A dead letter as Agentyard writes it (all three conventions). */
  void agentyardDeadLetter(
      String taskId,
      int partition,
      long offset,
      DeadLetterReason reason,
      String route,
      String model,
      String message,
      long tokens,
      long cost,
      int replays)
      throws Exception {
    Headers h = new RecordHeaders();
    h.add(
        "traceparent",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(StandardCharsets.UTF_8));
    if (replays > 0) {
      h.add(
          DeadLetterHeaders.REPLAYED_COUNT,
          Integer.toString(replays).getBytes(StandardCharsets.UTF_8));
    }
    ConsumerRecord<byte[], byte[]> failed =
        new ConsumerRecord<>(
            source,
            partition,
            offset,
            T0.toEpochMilli(),
            TimestampType.CREATE_TIME,
            0,
            0,
            taskId.getBytes(StandardCharsets.UTF_8),
            value(task(taskId)),
            h,
            Optional.empty());
    ProducerRecord<byte[], byte[]> d =
        new DeadLetterRecords("it", Clock.systemUTC())
            .toDeadLetter(
                failed,
                new TimeoutException(message),
                new DeadLetterContext(
                    reason,
                    "model-call",
                    "g",
                    4,
                    Optional.of(taskId),
                    Optional.ofNullable(route),
                    Optional.ofNullable(model),
                    tokens,
                    cost));
    producer
        .send(
            new ProducerRecord<>(
                d.topic(),
                d.partition(),
                System.currentTimeMillis(),
                d.key(),
                d.value(),
                d.headers()))
        .get();
  }

  /** A dead letter as Spring Kafka's DeadLetterPublishingRecoverer writes it. */
  void springDeadLetter(String taskId, int partition, long offset) throws Exception {
    Headers h = new RecordHeaders();
    h.add(DeadLetterHeaders.SPRING_ORIGINAL_TOPIC, source.getBytes(StandardCharsets.UTF_8));
    h.add(
        DeadLetterHeaders.SPRING_ORIGINAL_PARTITION,
        ByteBuffer.allocate(4).putInt(partition).array());
    h.add(DeadLetterHeaders.SPRING_ORIGINAL_OFFSET, ByteBuffer.allocate(8).putLong(offset).array());
    h.add(
        DeadLetterHeaders.SPRING_EXCEPTION_FQCN,
        "org.springframework.kafka.listener.ListenerExecutionFailedException"
            .getBytes(StandardCharsets.UTF_8));
    h.add(
        DeadLetterHeaders.SPRING_EXCEPTION_MESSAGE,
        "Listener failed; spring says no".getBytes(StandardCharsets.UTF_8));
    producer
        .send(
            new ProducerRecord<>(
                dlq,
                partition,
                null,
                taskId.getBytes(StandardCharsets.UTF_8),
                value(task(taskId)),
                h))
        .get();
  }

  /**
   * A dead letter as Kafka Connect's DeadLetterQueueReporter writes it (context headers enabled).
   */
  void connectDeadLetter(String taskId, int partition, long offset) throws Exception {
    Headers h = new RecordHeaders();
    h.add(DeadLetterHeaders.CONNECT_TOPIC, source.getBytes(StandardCharsets.UTF_8));
    h.add(
        DeadLetterHeaders.CONNECT_PARTITION,
        Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
    h.add(DeadLetterHeaders.CONNECT_OFFSET, Long.toString(offset).getBytes(StandardCharsets.UTF_8));
    h.add(
        DeadLetterHeaders.CONNECT_EXCEPTION_CLASS,
        "org.apache.kafka.connect.errors.DataException".getBytes(StandardCharsets.UTF_8));
    h.add(
        DeadLetterHeaders.CONNECT_EXCEPTION_MESSAGE,
        "Converting byte[] to Kafka Connect data failed".getBytes(StandardCharsets.UTF_8));
    h.add(DeadLetterHeaders.CONNECT_STAGE, "VALUE_CONVERTER".getBytes(StandardCharsets.UTF_8));
    producer
        .send(
            new ProducerRecord<>(
                dlq,
                partition,
                null,
                taskId.getBytes(StandardCharsets.UTF_8),
                new byte[] {1, 2, 3, 4, 5, 6},
                h))
        .get();
  }

  List<ConsumerRecord<byte[], byte[]>> committed(String topic) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    reader.scan(List.of(topic), Optional.empty(), out::add);
    return out;
  }

  /**
   * The audit events of an action. commitTransaction returns once the coordinator has decided the
   * commit, before the markers reach the audit topic, so a read_committed reader outside the
   * console may briefly not see the event yet: wait (bounded) until it does.
   */
  List<DlqAuditEvent> audits(String auditId) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                console.reviews().auditTrail().stream()
                    .filter(e -> e.getAuditId().equals(auditId))
                    .toList(),
            l -> !l.isEmpty());
  }

  Redrive.Request replay(DeadLetterFilter f, boolean dryRun) {
    return Redrive.Request.of(f, "provider outage over").withDryRun(dryRun).pacedAt(100_000);
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    var h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Test
  void listsAndDecodesDeadLettersOfEveryHeaderConvention() throws Exception {
    agentyardDeadLetter(
        "t-ours",
        0,
        41,
        DeadLetterReason.RETRIES_EXHAUSTED,
        "income",
        "claude-haiku-4-5",
        "read timed out",
        1200,
        5400,
        0);
    springDeadLetter("t-spring", 1, 42);
    connectDeadLetter("t-connect", 2, 43);

    DeadLetterBrowser.Page page =
        console.browser().page(DeadLetterFilter.topic(dlq), 10, Optional.empty());

    assertThat(page.total()).isEqualTo(3);
    Map<String, DeadLetter> byTask = new HashMap<>();
    page.items().forEach(d -> byTask.put(d.run().taskId(), d));
    assertThat(byTask.get("t-ours").origin().topic()).contains(source);
    assertThat(byTask.get("t-ours").origin().offset()).contains(41L);
    assertThat(byTask.get("t-ours").failure().reason()).isEqualTo("RETRIES_EXHAUSTED");
    assertThat(byTask.get("t-ours").failure().errorClass())
        .isEqualTo("java.util.concurrent.TimeoutException");
    assertThat(byTask.get("t-ours").run().route()).isEqualTo("income");
    assertThat(byTask.get("t-ours").run().traceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(byTask.get("t-spring").origin().topic()).contains(source);
    assertThat(byTask.get("t-spring").origin().partition()).contains(1);
    assertThat(byTask.get("t-spring").origin().offset()).contains(42L);
    assertThat(byTask.get("t-spring").failure().message())
        .isEqualTo("Listener failed; spring says no");
    assertThat(byTask.get("t-connect").origin().topic()).contains(source);
    assertThat(byTask.get("t-connect").origin().partition()).contains(2);
    assertThat(byTask.get("t-connect").failure().errorClass()).endsWith("DataException");
    assertThat(byTask.get("t-connect").failure().stage()).isEqualTo("VALUE_CONVERTER");

    // inspect: headers readable, the value decoded through the registry, document content redacted
    DlqConsole.Inspection spring =
        console.inspect(byTask.get("t-spring").coordinates(), false, "cli:it");
    JsonNode view = Views.inspection(spring, console.config()::traceLinkOf);
    assertThat(view.path("value").path("schema").asText())
        .isEqualTo("dev.agentyard.avro.TaskSubmitted");
    assertThat(view.path("value").path("value").path("taskId").asText()).isEqualTo("t-spring");
    assertThat(
            view.path("value")
                .path("value")
                .path("document")
                .path("content")
                .path("redacted")
                .asBoolean())
        .isTrue();
    assertThat(view.toString()).doesNotContain("123-45-6789");
    assertThat(view.path("headers").toString())
        .contains("\"name\":\"kafka_dlt-original-partition\",\"value\":\"1\"");
    // the poison pill shows what it is
    JsonNode poison =
        Views.inspection(
            console.inspect(byTask.get("t-connect").coordinates(), false, "cli:it"),
            console.config()::traceLinkOf);
    assertThat(poison.path("value").path("undecodable").asText())
        .contains("not the Confluent wire format");
    // content shown on request, and that is audited
    JsonNode shown =
        Views.inspection(
            console.inspect(byTask.get("t-ours").coordinates(), true, "cli:it"),
            console.config()::traceLinkOf);
    assertThat(shown.toString()).contains("123-45-6789");
    // from a failure to its trace
    assertThat(shown.path("traceLink").asText())
        .isEqualTo("http://127.0.0.1:9411/zipkin/traces/0af7651916cd43dd8448eb211c80319c");
    assertThat(poison.path("traceLink").isNull())
        .as("no trace on the poison pill, no link")
        .isEqualTo(poison.path("traceId").asText("").isEmpty());
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(console.reviews().auditTrail())
                    .anyMatch(
                        e ->
                            e.getAction() == DlqAction.INSPECT
                                && (dlq
                                        + "/"
                                        + byTask.get("t-ours").partition()
                                        + "/"
                                        + byTask.get("t-ours").offset())
                                    .equals(e.getSelection())));
  }

  @Test
  void filtersSelectTheRightDeadLettersAndSummaryCountsThem() throws Exception {
    agentyardDeadLetter(
        "t-1",
        0,
        1,
        DeadLetterReason.RETRIES_EXHAUSTED,
        "income",
        "m-small",
        "HTTP 503 from provider",
        10,
        100,
        0);
    agentyardDeadLetter(
        "t-2",
        1,
        2,
        DeadLetterReason.RETRIES_EXHAUSTED,
        "banking",
        "m-small",
        "read timed out",
        20,
        200,
        0);
    agentyardDeadLetter(
        "t-3",
        2,
        3,
        DeadLetterReason.INVALID_CONTENT,
        "income",
        "m-large",
        "document missing",
        0,
        0,
        0);
    springDeadLetter("t-4", 0, 4);
    DeadLetterFilter base = DeadLetterFilter.topic(dlq);

    assertThat(taskIds(DeadLetterFilter.builder().topic(dlq).reason("retries_exhausted").build()))
        .containsExactlyInAnyOrder("t-1", "t-2");
    assertThat(taskIds(DeadLetterFilter.builder().topic(dlq).route("income").build()))
        .containsExactlyInAnyOrder("t-1", "t-3");
    assertThat(taskIds(DeadLetterFilter.builder().topic(dlq).model("m-large").build()))
        .containsExactly("t-3");
    assertThat(taskIds(DeadLetterFilter.builder().topic(dlq).errorClass("listener").build()))
        .containsExactly("t-4");
    assertThat(taskIds(DeadLetterFilter.builder().topic(dlq).taskId("t-2").build()))
        .containsExactly("t-2");
    assertThat(taskIds(DeadLetterFilter.builder().topic(dlq).text("TIMED OUT").build()))
        .containsExactly("t-2");
    assertThat(
            taskIds(
                DeadLetterFilter.builder()
                    .topic(dlq)
                    .from(Instant.now().plusSeconds(3600))
                    .build()))
        .isEmpty();
    // paging: two pages of two, no overlap
    DeadLetterBrowser.Page first = console.browser().page(base, 2, Optional.empty());
    DeadLetterBrowser.Page second = console.browser().page(base, 2, first.nextCursor());
    assertThat(first.items()).hasSize(2);
    assertThat(second.items()).hasSize(2);
    assertThat(second.nextCursor()).isEmpty();
    assertThat(first.items()).doesNotContainAnyElementsOf(second.items());

    DeadLetterBrowser.Summary s = console.browser().summary(base);
    assertThat(s.total()).isEqualTo(4);
    assertThat(s.byReason())
        .containsEntry("RETRIES_EXHAUSTED", 2)
        .containsEntry("INVALID_CONTENT", 1)
        .containsEntry("UNCLASSIFIED", 1);
    assertThat(s.byRoute()).containsEntry("income", 2).containsEntry("banking", 1);
    assertThat(s.tokensSpent()).isEqualTo(30);
    assertThat(s.costSpentMicroUsd()).isEqualTo(300);
  }

  List<String> taskIds(DeadLetterFilter f) {
    return console.browser().select(f, Map.of()).stream().map(d -> d.run().taskId()).toList();
  }

  @Test
  void aDryRunChangesNothingAndReportsTheCountAndTheCost() throws Exception {
    for (int i = 0; i < 5; i++) {
      agentyardDeadLetter(
          "t-" + i,
          i % 3,
          i,
          DeadLetterReason.RETRIES_EXHAUSTED,
          "income",
          "m",
          "503",
          1000 + i,
          4000 + i,
          0);
    }
    agentyardDeadLetter(
        "t-router", 0, 9, DeadLetterReason.INVALID_CONTENT, null, null, "no text", 0, 0, 0);

    Redrive.Report r =
        console
            .redrive()
            .replay(replay(DeadLetterFilter.topic(dlq), true), "cli:it", Redrive.Progress.NONE);

    assertThat(r.outcome()).isEqualTo(AuditOutcome.SUCCEEDED);
    assertThat(r.accepted()).hasSize(6);
    assertThat(r.done()).isZero();
    assertThat(r.estimatedTokens()).isEqualTo(5 * 1000 + 10);
    assertThat(r.estimatedCostMicroUsd()).isEqualTo(5 * 4000 + 10);
    assertThat(r.withoutUsage()).isEqualTo(1);
    assertThat(committed(source)).isEmpty();
    assertThat(console.browser().dispositions().keySet()).noneMatch(k -> k.startsWith(dlq + "/"));
    List<DlqAuditEvent> audit = audits(r.auditId());
    assertThat(audit).hasSize(1);
    assertThat(audit.get(0).getAction()).isEqualTo(DlqAction.REPLAY_DRY_RUN);
    assertThat(audit.get(0).getRecordCount()).isEqualTo(6);
    assertThat(audit.get(0).getEstimatedCostMicroUsd()).isEqualTo(20_010L);
    assertThat(audit.get(0).getActor()).isEqualTo("cli:it");
  }

  @Test
  void aReplayYieldsExactlyNRecordsWithProvenanceEvenWhenKilledHalfwayAndRunAgain()
      throws Exception {
    int n = 25;
    Set<String> expectedKeys = new HashSet<>();
    for (int i = 0; i < n; i++) {
      agentyardDeadLetter(
          "t-" + i,
          i % 3,
          100 + i,
          DeadLetterReason.RETRIES_EXHAUSTED,
          "income",
          "m",
          "503",
          10,
          40,
          0);
      expectedKeys.add("t-" + i);
    }
    // the first run stops between sending its second batch and committing it: a crash
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Redrive.Report> first =
        CompletableFuture.supplyAsync(
            () ->
                console
                    .redrive()
                    .replay(
                        replay(DeadLetterFilter.topic(dlq), false),
                        "cli:first",
                        new Redrive.Progress() {
                          @Override
                          public void beforeCommit(int batch, int inBatch) {
                            if (batch == 2) {
                              stuck.countDown();
                              try {
                                release.await(60, TimeUnit.SECONDS);
                              } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                              }
                            }
                          }
                        }));
    assertThat(stuck.await(60, TimeUnit.SECONDS)).isTrue();

    // a second run (another operator, or the same command again) fences the first and continues
    Redrive.Report second =
        console
            .redrive()
            .replay(
                replay(DeadLetterFilter.topic(dlq), false), "cli:second", Redrive.Progress.NONE);
    release.countDown();
    Redrive.Report firstReport = first.get(60, TimeUnit.SECONDS);

    assertThat(firstReport.outcome()).isEqualTo(AuditOutcome.FAILED);
    assertThat(firstReport.done()).isEqualTo(10);
    assertThat(second.outcome()).isEqualTo(AuditOutcome.SUCCEEDED);
    assertThat(second.done()).isEqualTo(15);
    assertThat(second.refused())
        .hasSize(10)
        .allMatch(i -> i.refusal().orElseThrow().startsWith("already replayed by cli:first"));
    List<ConsumerRecord<byte[], byte[]>> out = committed(source);
    assertThat(out).hasSize(n);
    Set<String> sources = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : out) {
      String key = new String(r.key(), StandardCharsets.UTF_8);
      assertThat(expectedKeys).contains(key);
      assertThat(deserializer.deserialize(source, r.headers(), r.value()))
          .isEqualTo(task(key)); // the exact value
      assertThat(header(r, DeadLetterHeaders.REPLAYED_COUNT)).isEqualTo("1");
      assertThat(header(r, DeadLetterHeaders.REPLAY_ACTOR)).isIn("cli:first", "cli:second");
      assertThat(header(r, "traceparent")).isNotNull(); // the record's own headers are kept
      assertThat(r.headers().lastHeader(DeadLetterHeaders.SPRING_EXCEPTION_FQCN))
          .isNull(); // failure bookkeeping is not
      assertThat(r.headers().lastHeader(DeadLetterHeaders.REASON)).isNull();
      sources.add(header(r, DeadLetterHeaders.REPLAY_SOURCE));
    }
    assertThat(sources).hasSize(n);
    assertThat(out.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList())
        .containsExactlyInAnyOrderElementsOf(expectedKeys);

    // a third run finds nothing left to do
    Redrive.Report third =
        console
            .redrive()
            .replay(replay(DeadLetterFilter.topic(dlq), false), "cli:third", Redrive.Progress.NONE);
    assertThat(third.done()).isZero();
    assertThat(third.refused()).hasSize(n);
    assertThat(committed(source)).hasSize(n);
    for (Redrive.Report r : List.of(firstReport, second, third)) {
      assertThat(audits(r.auditId())).hasSize(1);
    }
    assertThat(audits(firstReport.auditId()).get(0).getOutcome()).isEqualTo(AuditOutcome.FAILED);
    assertThat(audits(second.auditId()).get(0).getRecordCount()).isEqualTo(15);
  }

  @Test
  void aRecordOverTheReplayLimitIsRefusedEvenWhenForced() throws Exception {
    agentyardDeadLetter(
        "t-looping", 0, 7, DeadLetterReason.RETRIES_EXHAUSTED, "income", "m", "503", 0, 0, 3);
    agentyardDeadLetter(
        "t-fine", 1, 8, DeadLetterReason.RETRIES_EXHAUSTED, "income", "m", "503", 0, 0, 2);

    Redrive.Report r =
        console
            .redrive()
            .replay(
                Redrive.Request.of(DeadLetterFilter.topic(dlq), "try again")
                    .forced(true)
                    .pacedAt(100_000),
                "cli:it",
                Redrive.Progress.NONE);

    assertThat(r.refused())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.taskId()).isEqualTo("t-looping");
              assertThat(i.refusal().orElseThrow()).contains("loop guard").contains("3 times");
            });
    List<ConsumerRecord<byte[], byte[]>> out = committed(source);
    assertThat(out)
        .singleElement()
        .satisfies(rec -> assertThat(header(rec, DeadLetterHeaders.REPLAYED_COUNT)).isEqualTo("3"));
  }

  @Test
  void aReplayToARetryTopicWaitsOutItsDelay() throws Exception {
    agentyardDeadLetter(
        "t-later", 0, 5, DeadLetterReason.RETRIES_EXHAUSTED, "income", "m", "503", 0, 0, 0);
    String retry = source + ".retry.1m";

    Redrive.Report r =
        console
            .redrive()
            .replay(
                Redrive.Request.of(DeadLetterFilter.topic(dlq), "later").to(retry).pacedAt(100_000),
                "cli:it",
                Redrive.Progress.NONE);

    assertThat(r.done()).isEqualTo(1);
    ConsumerRecord<byte[], byte[]> copy = committed(retry).get(0);
    assertThat(header(copy, RetryHeaders.ORIGINAL_TOPIC)).isEqualTo(source);
    assertThat(Long.parseLong(header(copy, RetryHeaders.NOT_BEFORE)))
        .isGreaterThan(System.currentTimeMillis() + 30_000);
    // anywhere else is refused
    Redrive.Report elsewhere =
        console
            .redrive()
            .replay(
                Redrive.Request.of(DeadLetterFilter.topic(dlq), "nope")
                    .to("agent.results.v1")
                    .forced(true)
                    .pacedAt(100_000),
                "cli:it",
                Redrive.Progress.NONE);
    assertThat(elsewhere.refused())
        .singleElement()
        .satisfies(
            i -> assertThat(i.refusal().orElseThrow()).contains("neither its original topic"));
  }

  @Test
  void parkedRecordsMoveWithTheirReasonAndAreNotReplayed() throws Exception {
    agentyardDeadLetter(
        "t-bad-1", 0, 1, DeadLetterReason.INVALID_CONTENT, null, null, "garbage", 0, 0, 0);
    agentyardDeadLetter(
        "t-bad-2", 1, 2, DeadLetterReason.INVALID_CONTENT, null, null, "garbage", 0, 0, 0);

    Redrive.Report parked =
        console
            .redrive()
            .park(
                Redrive.Request.of(
                        DeadLetterFilter.topic(dlq), "upstream sent test data; ticket INC-42")
                    .pacedAt(100_000),
                "cli:it",
                Redrive.Progress.NONE);

    assertThat(parked.done()).isEqualTo(2);
    List<ConsumerRecord<byte[], byte[]>> out = committed(Topics.parkedTopicOf(dlq));
    assertThat(out)
        .hasSize(2)
        .allSatisfy(
            r -> {
              assertThat(header(r, DeadLetterHeaders.PARKED_REASON))
                  .isEqualTo("upstream sent test data; ticket INC-42");
              assertThat(header(r, DeadLetterHeaders.PARKED_BY)).isEqualTo("cli:it");
              assertThat(header(r, DeadLetterHeaders.REASON))
                  .isEqualTo("INVALID_CONTENT"); // the dead letter as it was
            });
    Redrive.Report replay =
        console
            .redrive()
            .replay(replay(DeadLetterFilter.topic(dlq), false), "cli:it", Redrive.Progress.NONE);
    assertThat(replay.done()).isZero();
    assertThat(replay.refused())
        .hasSize(2)
        .allMatch(i -> i.refusal().orElseThrow().startsWith("already parked"));
    assertThat(
            console
                .browser()
                .select(
                    DeadLetterFilter.topic(dlq).withStatus("parked"),
                    console.browser().dispositions()))
        .hasSize(2);
    assertThat(audits(parked.auditId()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getAction()).isEqualTo(DlqAction.PARK);
              assertThat(e.getRecordCount()).isEqualTo(2);
            });
  }

  ReviewItem publishReview(ReviewReason reason, String route, String proposedAction)
      throws Exception {
    return publishReview(reason, route, proposedAction, null);
  }

  /** A review item on agent.review.v1, with a traceparent header when one is given. */
  ReviewItem publishReview(
      ReviewReason reason,
      String route,
      String proposedAction,
      dev.agentyard.runtime.tracing.TraceParent trace)
      throws Exception {
    String taskId = "t-" + UUID.randomUUID().toString().substring(0, 8);
    ReviewItem item =
        ReviewItem.newBuilder()
            .setReviewId("rv-" + taskId)
            .setTaskId(taskId)
            .setCorrelationId("loan-1")
            .setTenant("acme-bank")
            .setRoute(route)
            .setReason(reason)
            .setDetail("needs a human")
            .setStage("worker")
            .setCreatedAt(Instant.now())
            .setProposedAction(proposedAction)
            .setCostSoFarMicroUsd(1234)
            .setTask(task(taskId))
            .setExtractedText("W-2 text")
            .build();
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            Topics.REVIEW.name(),
            taskId.getBytes(StandardCharsets.UTF_8),
            serializer.serialize(Topics.REVIEW.name(), item));
    if (trace != null) {
      trace.writeTo(record.headers());
    }
    producer.send(record).get();
    return item;
  }

  @Test
  void aReviewDecisionIsASpanInTheTasksTraceAndItsEffectContinuesIt() throws Exception {
    dev.agentyard.runtime.tracing.TraceParent upstream =
        dev.agentyard.runtime.tracing.TraceParent.newRoot();
    ReviewItem item = publishReview(ReviewReason.LOW_CONFIDENCE, "income", null, upstream);
    String taskId = item.getTaskId();
    try (dev.agentyard.testing.InMemoryTracing tracing =
            new dev.agentyard.testing.InMemoryTracing();
        DlqConsole traced = connect(new dev.agentyard.runtime.tracing.Tracing(tracing.otel()))) {
      ReviewQueue.Decision d =
          traced.reviews().approve(item.getReviewId(), "cli:alice", "checked", Optional.empty());
      assertThat(d.outcome()).isEqualTo(AuditOutcome.SUCCEEDED);
      var span = tracing.spans().get(0);
      assertThat(tracing.spans()).hasSize(1);
      assertThat(span.getName()).isEqualTo("review approve");
      assertThat(span.getTraceId()).isEqualTo(upstream.traceId());
      assertThat(span.getParentSpanId()).isEqualTo(upstream.spanId());
      assertThat(span.getAttributes().asMap().toString())
          .contains(
              "agentyard.review.id=" + item.getReviewId(), "agentyard.audit.id=" + d.auditId())
          .doesNotContain("W-2 text", "alice");
      ConsumerRecord<byte[], byte[]> sent =
          committed(Topics.route("income").name()).stream()
              .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(taskId))
              .findFirst()
              .orElseThrow();
      var onEffect = dev.agentyard.runtime.tracing.TraceParent.from(sent.headers()).orElseThrow();
      assertThat(onEffect.spanId()).isEqualTo(span.getSpanId());
    }
  }

  @Test
  void theBacklogGaugesCountTheOpenItemsByReasonAndTheOldestWait() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    // the gauges read three hours on: the oldest open item has waited at least that long
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(3));
    ReviewItem first = publishReview(ReviewReason.KILL_SWITCH, "income", null);
    publishReview(ReviewReason.KILL_SWITCH, "banking", null);
    try (dev.agentyard.dlq.review.ReviewBacklog backlog =
        new dev.agentyard.dlq.review.ReviewBacklog(
            console.reviews(), meters, later, Duration.ofHours(1))) {
      backlog.count();
      assertThat(backlogOpen(meters, "KILL_SWITCH")).isEqualTo(2);
      assertThat(meters.find(dev.agentyard.dlq.review.ReviewBacklog.OLDEST).gauge().value())
          .isGreaterThanOrEqualTo(3 * 3600);
      console.reviews().reject(first.getReviewId(), "cli:alice", "stopped on purpose");
      backlog.count();
      assertThat(backlogOpen(meters, "KILL_SWITCH"))
          .as("a decided item waits no more")
          .isEqualTo(1);
    }
  }

  private static double backlogOpen(SimpleMeterRegistry meters, String reason) {
    return meters
        .find(dev.agentyard.dlq.review.ReviewBacklog.OPEN)
        .tag("reason", reason)
        .gauge()
        .value();
  }

  @Test
  void approvingSendsTheTaskBackWithASingleUseGrantAndRejectingEndsIt() throws Exception {
    String input =
        "{\"applicationId\":\"loan-1\",\"decision\":\"approve\",\"rationale\":\"DTI 28%\"}";
    ReviewItem irreversible =
        publishReview(
            ReviewReason.IRREVERSIBLE_ACTION,
            "income",
            "{\"tool\":\"approve_loan\",\"input\":" + input + "}");
    ReviewItem unrouted = publishReview(ReviewReason.LOW_CONFIDENCE, null, null);
    assertThat(
            console.reviews().list(ReviewQueue.Filter.open()).stream()
                .map(e -> e.item().getReviewId()))
        .contains(irreversible.getReviewId(), unrouted.getReviewId());

    ReviewQueue.Decision approved =
        console
            .reviews()
            .approve(irreversible.getReviewId(), "cli:alice", "figures checked", Optional.empty());

    assertThat(approved.outcome()).isEqualTo(AuditOutcome.SUCCEEDED);
    ConsumerRecord<byte[], byte[]> sent =
        committed(Topics.route("income").name()).stream()
            .filter(
                r -> new String(r.key(), StandardCharsets.UTF_8).equals(irreversible.getTaskId()))
            .findFirst()
            .orElseThrow();
    RoutedTask routed =
        (RoutedTask) deserializer.deserialize(sent.topic(), sent.headers(), sent.value());
    assertThat(routed.getDecision().getMethod()).isEqualTo(RoutingMethod.REVIEWER);
    assertThat(routed.getExtractedText()).isEqualTo("W-2 text");
    assertThat(header(sent, DeadLetterHeaders.REPLAYED_COUNT))
        .isEqualTo("1"); // the worker takes it past its de-duplication
    // the grant verifies for exactly the proposed call, with the workers' key, and for nothing else
    ApprovalGrants workerSide = new ApprovalGrants(SIGNING_KEY, Clock.systemUTC());
    var json = Views.JSON;
    assertThat(
            workerSide.refusal(
                routed.getApproval(),
                irreversible.getTaskId(),
                "approve_loan",
                json.readTree(input)))
        .isEmpty();
    assertThat(
            workerSide.refusal(
                routed.getApproval(),
                irreversible.getTaskId(),
                "approve_loan",
                json.readTree(input.replace("approve\"", "decline\""))))
        .contains("granted for another input of approve_loan");
    assertThat(routed.getApproval().getGrantedBy()).isEqualTo("cli:alice");
    // decided once only
    ReviewQueue.Decision again =
        console
            .reviews()
            .approve(irreversible.getReviewId(), "cli:bob", "me too", Optional.empty());
    assertThat(again.outcome()).isEqualTo(AuditOutcome.REFUSED);
    assertThat(again.detail()).contains("already decided").contains("cli:alice");

    // an item that never reached a route needs one named
    ReviewQueue.Decision noRoute =
        console
            .reviews()
            .approve(unrouted.getReviewId(), "cli:alice", "looks fine", Optional.empty());
    assertThat(noRoute.outcome()).isEqualTo(AuditOutcome.REFUSED);
    assertThat(noRoute.detail()).contains("name the route");

    // a reviewer who sends a triage task to the route it belongs on teaches the router's classifier
    ReviewItem misrouted = publishReview(ReviewReason.LOW_CONFIDENCE, "triage", null);
    ReviewQueue.Decision rerouted =
        console
            .reviews()
            .approve(
                misrouted.getReviewId(), "cli:alice", "a bank statement", Optional.of("banking"));
    assertThat(rerouted.outcome()).isEqualTo(AuditOutcome.SUCCEEDED);
    assertThat(rerouted.detail()).contains("labelled example");
    List<RouteLabel> labels =
        committed(Topics.ROUTE_LABELS.name()).stream()
            .map(r -> (RouteLabel) deserializer.deserialize(r.topic(), r.headers(), r.value()))
            .toList();
    assertThat(labels)
        .as("the approval that kept its route taught nothing; the re-route did")
        .singleElement()
        .satisfies(
            l -> {
              assertThat(l.getTaskId()).isEqualTo(misrouted.getTaskId());
              assertThat(l.getRoute()).isEqualTo("banking");
              assertThat(l.getSource()).isEqualTo(LabelSource.REVIEWER);
              assertThat(l.getLabelledBy()).isEqualTo("cli:alice");
              assertThat(l.getText()).isEqualTo("W-0 text");
            });
    ReviewQueue.Decision rejected =
        console.reviews().reject(unrouted.getReviewId(), "cli:alice", "not a loan document");
    assertThat(rejected.outcome()).isEqualTo(AuditOutcome.SUCCEEDED);
    ConsumerRecord<byte[], byte[]> result =
        committed(Topics.RESULTS.name()).stream()
            .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(unrouted.getTaskId()))
            .findFirst()
            .orElseThrow();
    AgentResult final_ =
        (AgentResult) deserializer.deserialize(result.topic(), result.headers(), result.value());
    assertThat(final_.getStatus()).isEqualTo(ResultStatus.REJECTED);
    assertThat(json.readTree(final_.getOutput()).path("reason").asText())
        .isEqualTo("not a loan document");
    assertThat(final_.getCostMicroUsd()).isEqualTo(1234);

    assertThat(
            console.reviews().list(ReviewQueue.Filter.open()).stream()
                .map(e -> e.item().getReviewId()))
        .doesNotContain(irreversible.getReviewId(), unrouted.getReviewId());
    for (ReviewQueue.Decision d : List.of(approved, again, noRoute, rerouted, rejected)) {
      assertThat(audits(d.auditId()))
          .singleElement()
          .satisfies(e -> assertThat(e.getOutcome()).isEqualTo(d.outcome()));
    }
  }

  @Test
  void theHttpApiRefusesAMissingOrWrongTokenAndServesTheRightOne() throws Exception {
    agentyardDeadLetter(
        "t-http", 0, 1, DeadLetterReason.RETRIES_EXHAUSTED, "income", "m", "503", 5, 50, 0);
    try (DlqServer.Running server = DlqServer.start(DlqConfig.effective(config()), Map.of())) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.port() + "/api/v1/";
      HttpRequest.Builder list =
          HttpRequest.newBuilder(URI.create(base + "dead-letters?topic=" + dlq));

      assertThat(http.send(list.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(401);
      assertThat(
              http.send(
                      list.header("Authorization", "Bearer wrong-token-0123456789").build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(401);
      HttpResponse<String> ok =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "dead-letters?topic=" + dlq))
                  .header("Authorization", "Bearer " + TOKEN)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(Views.JSON.readTree(ok.body()).path("total").asInt()).isEqualTo(1);

      // a replay over HTTP is a dry run unless asked otherwise, and the token names the actor
      HttpResponse<String> dry =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "replays"))
                  .header("Authorization", "Bearer " + TOKEN)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"" + dlq + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode report = Views.JSON.readTree(dry.body());
      assertThat(report.path("dryRun").asBoolean()).isTrue();
      assertThat(report.path("accepted").asInt()).isEqualTo(1);
      assertThat(audits(report.path("auditId").asText()))
          .singleElement()
          .satisfies(e -> assertThat(e.getActor()).isEqualTo("api:api"));
      assertThat(committed(source)).isEmpty();
    }
  }

  @Test
  void rolesSayWhoMayDecideAndWhoMayReplayAndAClaimKeepsOtherReviewersOff(@TempDir Path dir)
      throws Exception {
    Map<String, String> c = withRoles(dir);
    ReviewItem item = publishReview(ReviewReason.LOW_CONFIDENCE, "income", null);
    String id = item.getReviewId();
    try (DlqServer.Running server = DlqServer.start(DlqConfig.effective(c), Map.of())) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.port() + "/api/v1/";
      java.util.function.BiFunction<String, String, HttpResponse<String>> post =
          (token, path) -> {
            try {
              return http.send(
                  HttpRequest.newBuilder(URI.create(base + path))
                      .header("Authorization", "Bearer " + token)
                      .POST(HttpRequest.BodyPublishers.ofString("{\"why\":\"checked\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          };
      assertThat(post.apply("rita-token-0123456789", "replays").statusCode())
          .as("a reviewer cannot replay")
          .isEqualTo(403);
      assertThat(post.apply("omar-token-0123456789", "reviews/" + id + "/approve").statusCode())
          .as("an operator cannot decide a review")
          .isEqualTo(403);
      HttpResponse<String> claimed =
          post.apply("rita-token-0123456789", "reviews/" + id + "/claim");
      assertThat(claimed.statusCode()).as(claimed.body()).isEqualTo(200);
      HttpResponse<String> taken =
          post.apply("ana-token-0123456789abc", "reviews/" + id + "/approve");
      assertThat(taken.statusCode())
          .as("a second reviewer cannot decide a claimed item")
          .isEqualTo(409);
      assertThat(Views.JSON.readTree(taken.body()).path("detail").asText())
          .contains("claimed by api:rita");
      assertThat(post.apply("ana-token-0123456789abc", "reviews/" + id + "/claim").statusCode())
          .as("nor claim it")
          .isEqualTo(409);
      HttpResponse<String> shown =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "reviews/" + id))
                  .header("Authorization", "Bearer ana-token-0123456789abc")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(Views.JSON.readTree(shown.body()).path("claim").path("by").asText())
          .isEqualTo("api:rita");
      HttpResponse<String> decided =
          post.apply("rita-token-0123456789", "reviews/" + id + "/approve");
      assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
      assertThat(Views.JSON.readTree(decided.body()).path("outcome").asText())
          .isEqualTo("SUCCEEDED");
    }
  }

  @Test
  void anOperatorSetsChangesAndDeletesABudgetLiveAndEachChangeIsAudited(@TempDir Path dir)
      throws Exception {
    Map<String, String> c = withRoles(dir);
    String id = "tenant:budget-it-" + System.nanoTime() + "|day";
    try (DlqServer.Running server = DlqServer.start(DlqConfig.effective(c), Map.of())) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.port() + "/api/v1/";
      java.util.function.BiFunction<String, String, HttpResponse<String>> post =
          (token, body) -> {
            try {
              return http.send(
                  HttpRequest.newBuilder(URI.create(base + "budgets"))
                      .header("Authorization", "Bearer " + token)
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          };
      String set =
          "{\"budgetId\":\""
              + id
              + "\",\"limitMicroUsd\":500000,\"mode\":\"hard\",\"atLimit\":\"review\",\"why\":\"Q4\"}";
      assertThat(post.apply("rita-token-0123456789", set).statusCode())
          .as("a reviewer cannot set budgets")
          .isEqualTo(403);
      assertThat(post.apply("omar-token-0123456789", set.replace("500000", "0")).statusCode())
          .as("a budget's limit is positive")
          .isEqualTo(400);
      HttpResponse<String> made = post.apply("omar-token-0123456789", set);
      assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
      assertThat(Views.JSON.readTree(made.body()).path("mode").asText()).isEqualTo("HARD");

      // changed live: the latest definition wins
      post.apply("omar-token-0123456789", set.replace("500000", "750000").replace("hard", "lease"));
      BudgetDefinition now =
          console.budgets().stream()
              .filter(b -> b.getBudgetId().equals(id))
              .findFirst()
              .orElseThrow();
      assertThat(now.getLimitMicroUsd()).isEqualTo(750_000);
      assertThat(now.getMode()).isEqualTo(BudgetMode.LEASE);
      assertThat(now.getUpdatedBy()).isEqualTo("api:omar");
      assertThat(now.getTenant()).startsWith("budget-it-");

      HttpResponse<String> gone =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "budgets/delete"))
                  .header("Authorization", "Bearer omar-token-0123456789")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"budgetId\":\"" + id + "\",\"why\":\"over\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(gone.statusCode()).as(gone.body()).isEqualTo(200);
      assertThat(console.budgets()).noneMatch(b -> b.getBudgetId().equals(id));

      List<DlqAuditEvent> trail =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      console.reviews().auditTrail().stream()
                          .filter(e -> id.equals(e.getSelection()))
                          .toList(),
                  l -> l.size() == 3);
      assertThat(trail)
          .extracting(DlqAuditEvent::getAction)
          .containsExactly(DlqAction.BUDGET_SET, DlqAction.BUDGET_SET, DlqAction.BUDGET_DELETE);
      assertThat(trail.get(1).getDetail()).contains("limit 750000").contains("lease mode");
      assertThat(trail).allMatch(e -> e.getActor().equals("api:omar"));
    }
  }

  /** The config with three people instead of one token: rita and ana review, omar operates. */
  private Map<String, String> withRoles(Path dir) throws Exception {
    Path tokens =
        Files.writeString(
            dir.resolve("tokens"),
            "rita:rita-token-0123456789:reviewer\n"
                + "omar:omar-token-0123456789:operator\n"
                + "ana:ana-token-0123456789abc:reviewer\n");
    Map<String, String> c = config();
    c.remove("dlq.http.token");
    c.put("dlq.http.token-file", tokens.toString());
    return c;
  }

  /** A browser-like client of the console: keeps its session cookie, does not follow redirects. */
  private record Browser(HttpClient http, String base) {
    static Browser at(DlqServer.Running server) {
      return new Browser(
          HttpClient.newBuilder()
              .cookieHandler(new java.net.CookieManager())
              .followRedirects(HttpClient.Redirect.NEVER)
              .build(),
          "http://127.0.0.1:" + server.port() + "/console/");
    }

    HttpResponse<String> get(String path) throws Exception {
      return http.send(
          HttpRequest.newBuilder(URI.create(base + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
      String body =
          form.entrySet().stream()
              .map(
                  e ->
                      java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                          + "="
                          + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
              .collect(java.util.stream.Collectors.joining("&"));
      return http.send(
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    /** Signs in and returns the session's CSRF token, as the next page's forms carry it. */
    String signIn(String token) throws Exception {
      HttpResponse<String> in = post("sign-in", Map.of("token", token));
      assertThat(in.statusCode()).as(in.body()).isEqualTo(303);
      assertThat(in.headers().firstValue("Set-Cookie").orElseThrow())
          .contains("HttpOnly", "SameSite=Strict", "Path=/console")
          .doesNotContain(token);
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"")
              .matcher(get("reviews").body());
      assertThat(m.find()).isTrue();
      return m.group(1);
    }
  }

  @Test
  void theConsoleSignsInWithATokenDecidesWithCsrfAndClaimsAndEscapesWhatItShows(@TempDir Path dir)
      throws Exception {
    Map<String, String> c = withRoles(dir);
    String input =
        "{\"applicationId\":\"loan-7\",\"decision\":\"approve\",\"amount\":250000,"
            + "\"rationale\":\"<script>alert(1)</script>\"}";
    ReviewItem item =
        publishReview(
            ReviewReason.IRREVERSIBLE_ACTION,
            "income",
            "{\"tool\":\"approve_loan\",\"input\":" + input + "}");
    String page = "reviews/" + item.getReviewId();
    try (DlqServer.Running server = DlqServer.start(DlqConfig.effective(c), Map.of())) {
      Browser nobody = Browser.at(server);
      assertThat(nobody.get("reviews").statusCode()).as("not signed in").isEqualTo(303);
      assertThat(nobody.post("sign-in", Map.of("token", "wrong-token-0123456789")).statusCode())
          .isEqualTo(401);

      Browser rita = Browser.at(server);
      String ritaCsrf = rita.signIn("rita-token-0123456789");
      assertThat(rita.get("reviews").body()).contains(item.getTaskId());
      HttpResponse<String> shown = rita.get(page);
      assertThat(shown.statusCode()).isEqualTo(200);
      assertThat(shown.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("default-src 'none'");
      assertThat(shown.body())
          .contains("record a approve decision on loan application loan-7 for 250000")
          .contains("W-2 text") // the document
          .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
          .doesNotContain("<script>alert(1)</script>");

      assertThat(rita.post(page + "/approve", Map.of("why", "no token")).statusCode())
          .as("a form without its CSRF token")
          .isEqualTo(403);
      assertThat(
              rita.post(page + "/approve", Map.of("why", "wrong", "csrf", "forged")).statusCode())
          .isEqualTo(403);
      assertThat(console.reviews().find(item.getReviewId()).orElseThrow().open()).isTrue();

      assertThat(rita.post(page + "/claim", Map.of("csrf", ritaCsrf)).statusCode()).isEqualTo(303);
      // the claim is read back from the audit topic, once its transaction's marker is written
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(rita.get(page).body()).contains("Claimed by you"));

      Browser ana = Browser.at(server);
      String anaCsrf = ana.signIn("ana-token-0123456789abc");
      assertThat(ana.get(page).body())
          .contains("Claimed by console:rita")
          .doesNotContain("Approve</button>");
      assertThat(ana.post(page + "/approve", Map.of("why", "mine", "csrf", anaCsrf)).statusCode())
          .isEqualTo(303);
      assertThat(ana.get(page).body()).contains("Not done (refused): claimed by console:rita");

      Browser omar = Browser.at(server);
      String omarCsrf = omar.signIn("omar-token-0123456789");
      assertThat(omar.post(page + "/approve", Map.of("why", "ops", "csrf", omarCsrf)).statusCode())
          .as("an operator does not decide reviews")
          .isEqualTo(403);

      assertThat(
              rita.post(page + "/approve", Map.of("why", "figures checked", "csrf", ritaCsrf))
                  .statusCode())
          .isEqualTo(303);
      assertThat(rita.get(page).body())
          .contains("Approve: done", "with approval grant")
          .contains("approved by console:rita");
      assertThat(rita.get("audit").body())
          .contains("REVIEW_APPROVE", "console:rita", "figures checked");
      assertThat(rita.post("sign-out", Map.of("csrf", ritaCsrf)).statusCode()).isEqualTo(303);
      assertThat(rita.get("reviews").statusCode()).as("signed out").isEqualTo(303);
    }
  }

  @Test
  void theConsolesDeadLetterPagesPreviewAReplayBeforeItRunsAndOnlyForOperators(@TempDir Path dir)
      throws Exception {
    agentyardDeadLetter(
        "t-console", 0, 7, DeadLetterReason.RETRIES_EXHAUSTED, "income", "m", "503", 5, 50, 0);
    try (DlqServer.Running server =
        DlqServer.start(DlqConfig.effective(withRoles(dir)), Map.of())) {
      String selection = "dead-letters?topic=" + dlq + "&task=t-console";
      Browser rita = Browser.at(server);
      String ritaCsrf = rita.signIn("rita-token-0123456789");
      assertThat(rita.get(selection).body())
          .contains(
              "t-console", "RETRIES_EXHAUSTED", "Replaying and parking need the operator role")
          .doesNotContain("Preview a replay");
      assertThat(rita.post("replays/preview", Map.of("csrf", ritaCsrf, "topic", dlq)).statusCode())
          .as("a reviewer cannot replay")
          .isEqualTo(403);

      Browser omar = Browser.at(server);
      String csrf = omar.signIn("omar-token-0123456789");
      HttpResponse<String> list = omar.get(selection);
      assertThat(list.body()).contains("Preview a replay of this selection", "1 dead letter(s)");
      HttpResponse<String> preview =
          omar.post(
              "replays/preview",
              Map.of("csrf", csrf, "topic", dlq, "task", "t-console", "status", "pending"));
      assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
      assertThat(preview.body()).contains("1 would be replayed", "Replay 1 dead letter(s)");
      assertThat(committed(source)).as("a preview writes nothing").isEmpty();

      assertThat(
              omar.post(
                      "replays/execute",
                      Map.of("csrf", csrf, "topic", dlq, "task", "t-console", "status", "pending"))
                  .statusCode())
          .as("no reason, no replay")
          .isEqualTo(400);
      assertThat(
              omar.post(
                      "replays/execute",
                      Map.of(
                          "csrf",
                          csrf,
                          "topic",
                          dlq,
                          "task",
                          "t-console",
                          "status",
                          "pending",
                          "why",
                          "provider back"))
                  .statusCode())
          .isEqualTo(303);
      assertThat(omar.get("dead-letters").body()).contains("Replay: succeeded");
      assertThat(committed(source))
          .singleElement()
          .satisfies(
              r -> assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("t-console"));
      java.util.regex.Matcher link =
          java.util.regex.Pattern.compile(
                  "href=\"/console/(dead-letters/" + dlq + "/[0-9]+/[0-9]+)\"")
              .matcher(list.body());
      assertThat(link.find()).as("a link to the dead letter").isTrue();
      HttpResponse<String> inspected = omar.get(link.group(1));
      assertThat(inspected.statusCode()).isEqualTo(200);
      assertThat(inspected.body()).contains("RETRIES_EXHAUSTED", "convention");
    }
  }

  @Test
  void showsTheJournalOfARunThatHasNotEndedAndNothingOnceItIsTombstoned() throws Exception {
    String task = "journal-" + UUID.randomUUID();
    String topic = Topics.journal("fraud").name();
    for (int seq = 0; seq < 2; seq++) {
      RunJournalEntry e =
          RunJournalEntry.newBuilder()
              .setTaskId(task)
              .setRoute("fraud")
              .setSeq(seq)
              .setStep(seq == 0 ? JournalStepKind.CALL_STARTED : JournalStepKind.CALL_ENDED)
              .setTurn(1)
              .setAttemptId("attempt-1")
              .setModel("claude-haiku-4-5")
              .setResponse(
                  seq == 0 ? null : "{\"content\":[{\"type\":\"text\",\"text\":\"secret\"}]}")
              .setAt(T0)
              .build();
      producer
          .send(
              new ProducerRecord<>(
                  topic, (task + "/" + seq).getBytes(), serializer.serialize(topic, e)))
          .get();
    }

    List<ObjectNode> steps = console.journal("fraud", task);
    assertThat(steps).hasSize(2);
    assertThat(steps.get(0).path("value").path("step").asText()).isEqualTo("CALL_STARTED");
    assertThat(steps.get(1).toString()).doesNotContain("secret"); // answers are redacted

    producer.send(new ProducerRecord<>(topic, (task + "/0").getBytes(), null)).get();
    producer.send(new ProducerRecord<>(topic, (task + "/1").getBytes(), null)).get();
    assertThat(console.journal("fraud", task)).isEmpty();
  }

  @Test
  void aKillFromTheConsoleIsWrittenWithWhoAndWhy() throws Exception {
    String task = "stuck-" + UUID.randomUUID();
    ControlCommand written =
        console.control(
            ControlScope.TASK,
            task,
            ControlAction.KILL,
            "run stuck on a provider outage",
            "cli:oncall",
            Optional.of(Duration.ofHours(2)));

    List<ControlCommand> found = new ArrayList<>();
    reader.scan(
        List.of(Topics.CONTROL.name()),
        Optional.empty(),
        r -> {
          if (new String(r.key()).equals("task:" + task)) {
            found.add((ControlCommand) deserializer.deserialize(r.topic(), r.headers(), r.value()));
          }
        });
    assertThat(found)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getAction()).isEqualTo(ControlAction.KILL);
              assertThat(c.getIssuedBy()).isEqualTo("cli:oncall");
              assertThat(c.getReason()).isEqualTo("run stuck on a provider outage");
              assertThat(c.getExpiresAt())
                  .isEqualTo(written.getIssuedAt().plus(Duration.ofHours(2)));
            });
  }

  @Test
  void theConsoleShowsAReviewedPdfInTheBrowsersViewerAndNothingElseAsAFile(@TempDir Path dir)
      throws Exception {
    Map<String, String> c = withRoles(dir);
    byte[] pdf =
        ("%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
                + "2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
                + "trailer <</Root 1 0 R>>\n%%EOF\n")
            .getBytes(StandardCharsets.US_ASCII);
    String taskId = "t-" + UUID.randomUUID().toString().substring(0, 8);
    TaskSubmitted withPdf = task(taskId);
    withPdf.setDocument(
        Document.newBuilder()
            .setDocumentId("doc-" + taskId)
            .setFilename("w2-2025.pdf")
            .setMediaType("application/pdf")
            .setContent(
                dev.agentyard.avro.InlineBytes.newBuilder()
                    .setData(java.nio.ByteBuffer.wrap(pdf))
                    .build())
            .build());
    ReviewItem item =
        ReviewItem.newBuilder(publishReview(ReviewReason.LOW_CONFIDENCE, "income", null))
            .setReviewId("rv-" + taskId)
            .setTaskId(taskId)
            .setTask(withPdf)
            .build();
    producer
        .send(
            new ProducerRecord<>(
                Topics.REVIEW.name(),
                taskId.getBytes(StandardCharsets.UTF_8),
                serializer.serialize(Topics.REVIEW.name(), item)))
        .get();
    ReviewItem text = publishReview(ReviewReason.LOW_CONFIDENCE, "income", null);
    try (DlqServer.Running server = DlqServer.start(DlqConfig.effective(c), Map.of())) {
      Browser rita = Browser.at(server);
      rita.signIn("rita-token-0123456789");
      assertThat(rita.get("reviews/" + item.getReviewId()).body())
          .contains("href=\"/console/reviews/" + item.getReviewId() + "/document\"")
          .contains("Open the file (PDF, " + pdf.length + " bytes)")
          .contains("W-2 text"); // the text the router extracted, beside the file
      HttpResponse<byte[]> file =
          rita.http.send(
              HttpRequest.newBuilder(
                      URI.create(rita.base + "reviews/" + item.getReviewId() + "/document"))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(file.statusCode()).isEqualTo(200);
      assertThat(file.body()).isEqualTo(pdf);
      assertThat(file.headers().firstValue("Content-Type")).hasValue("application/pdf");
      assertThat(file.headers().firstValue("Content-Disposition").orElseThrow())
          .startsWith("inline;");
      assertThat(file.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(file.headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("default-src 'none'");
      assertThat(rita.get("reviews/" + text.getReviewId()).body()).doesNotContain("/document\"");
      assertThat(rita.get("reviews/" + text.getReviewId() + "/document").statusCode())
          .as("a text document is shown on the page, never served as a file")
          .isEqualTo(404);
      assertThat(Browser.at(server).get("reviews/" + item.getReviewId() + "/document").statusCode())
          .as("not signed in")
          .isEqualTo(303);
    }
  }

  @Test
  void consoleRefusesATopicThatIsNotADeadLetterTopic() {
    assertThatThrownBy(() -> console.browser().select(DeadLetterFilter.topic(source), Map.of()))
        .hasMessageContaining("is not a dead-letter topic");
  }
}
