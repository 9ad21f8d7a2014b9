package dev.agentyard.workers;

import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.ControlAction;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ControlScope;
import dev.agentyard.avro.Document;
import dev.agentyard.avro.InlineText;
import dev.agentyard.avro.ModelTier;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.avro.RoutingDecision;
import dev.agentyard.avro.RoutingMethod;
import dev.agentyard.avro.RunJournalEntry;
import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.runtime.control.ControlState;
import dev.agentyard.schemas.serde.AvroDeserializer;
import dev.agentyard.schemas.serde.AvroSerializer;
import dev.agentyard.schemas.topics.TopicProvisioner;
import dev.agentyard.schemas.topics.TopicSpec;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import dev.agentyard.testing.TopicTail;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Topics, task publishing and output collection for the worker's integration tests and benchmark.
 */
final class WorkerTestKit implements AutoCloseable {

  static final List<Duration> FAST_RETRIES = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2));

  final KafkaCluster kafka;
  final SchemaRegistryEndpoint registry;
  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroSerializer<Object> serializer;
  private final Map<String, Object> serdeConfig;
  private final AvroDeserializer<Object> outputReader = new AvroDeserializer<>();
  private final TopicTail tail;
  final List<AgentResult> results = Collections.synchronizedList(new ArrayList<>());
  final List<ReviewItem> reviews = Collections.synchronizedList(new ArrayList<>());
  final List<ModelUsage> usage = Collections.synchronizedList(new ArrayList<>());
  final List<ConsumerRecord<byte[], byte[]>> deadLetters =
      Collections.synchronizedList(new ArrayList<>());

  /** The trace id each output record carried, by "topic|taskId". */
  final Map<String, String> traceIds = new ConcurrentHashMap<>();

  /** The whole traceparent each output record carried, by "topic|taskId". */
  final Map<String, dev.agentyard.runtime.tracing.TraceParent> traceParents =
      new ConcurrentHashMap<>();

  /** Creates the topics of the routes (with fast retry delays) and starts collecting outputs. */
  WorkerTestKit(
      KafkaCluster kafka, SchemaRegistryEndpoint registry, List<String> routes, int partitions)
      throws Exception {
    this.kafka = kafka;
    this.registry = registry;
    List<TopicSpec> topics =
        new ArrayList<>(
            List.of(
                Topics.RESULTS.withPartitions(3),
                Topics.REVIEW.withPartitions(3),
                Topics.USAGE.withPartitions(3),
                Topics.CONTROL,
                Topics.BUDGET_DEFINITIONS,
                Topics.BUDGET_REQUESTS,
                Topics.BUDGET_REPLIES));
    for (String r : routes) {
      TopicSpec route = Topics.route(r).withPartitions(partitions);
      topics.add(route);
      topics.add(Topics.journal(r).withPartitions(partitions));
      topics.add(Topics.deadLetter(route));
      FAST_RETRIES.forEach(d -> topics.add(Topics.retry(route, d)));
    }
    try (Admin admin = kafka.admin()) {
      new TopicProvisioner(admin, (short) 1).apply(topics, false);
    }
    serdeConfig = Map.of("schema.registry.url", registry.url(), "auto.register.schemas", true);
    serializer = new AvroSerializer<>();
    serializer.configure(serdeConfig, false);
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());

    List<String> outputs =
        new ArrayList<>(List.of(Topics.RESULTS.name(), Topics.REVIEW.name(), Topics.USAGE.name()));
    routes.forEach(r -> outputs.add(Topics.route(r).name() + ".dlq"));
    Map<String, Object> readerConfig = new HashMap<>(serdeConfig);
    readerConfig.put("specific.avro.reader", true);
    outputReader.configure(readerConfig, false);
    tail = TopicTail.start(kafka, outputs, this::collect);
  }

  /** Worker config for the test: fast retries, the simulator as both providers. */
  Map<String, String> workerConfig(String simulatorUrl, String routes) {
    Map<String, String> c = new HashMap<>();
    c.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    c.put("schema.registry.url", registry.url());
    c.put("kafka.replication.factor", "1");
    c.put("http.port", "0");
    c.put("http.host", "127.0.0.1");
    c.put("worker.routes", routes);
    c.put("worker.retry.delays", "1s,2s");
    c.put("worker.commit-interval", "200ms");
    c.put("worker.provider.anthropic.base-url", simulatorUrl + "/v1");
    c.put("worker.provider.anthropic.api-key", "sk-ant-it-secret");
    c.put("worker.provider.openai.base-url", simulatorUrl + "/v1");
    c.put("worker.provider.openai.api-key", "sk-it-secret");
    c.put("worker.provider.anthropic.timeout", "2s");
    c.put("worker.provider.openai.timeout", "2s");
    c.put("worker.resilience.initial-backoff", "20ms");
    return c;
  }

  static RoutedTask task(String taskId, String route, String text) {
    TaskSubmitted t =
        TaskSubmitted.newBuilder()
            .setTaskId(taskId)
            .setCorrelationId("app-" + taskId)
            .setTenant("acme-bank")
            .setSubmittedAt(Instant.now())
            .setDocument(
                Document.newBuilder()
                    .setDocumentId("doc-" + taskId)
                    .setMediaType("text/plain")
                    .setContent(InlineText.newBuilder().setText(text).build())
                    .build())
            .setMetadata(Map.of("applicantName", "Jane Doe"))
            .build();
    return RoutedTask.newBuilder()
        .setTaskId(taskId)
        .setRoute(route)
        .setModelTier(ModelTier.SMALL)
        .setDecision(
            RoutingDecision.newBuilder()
                .setMethod(RoutingMethod.CLASSIFIER)
                .setConfidence(0.95)
                .build())
        .setRoutedAt(Instant.now())
        .setTask(t)
        .build();
  }

  /** A W-2 whose text (and so whose simulated conversation) is unique to the task. */
  static String w2(String taskId, String marker) {
    return "Form W-2 Wage and Tax Statement 2025 ("
        + taskId
        + ")\nEmployee: Jane Doe\n"
        + "1 Wages, tips, other compensation: $84,200.00\n2 Federal income tax withheld: $12,630.50\n"
        + marker;
  }

  void publish(RoutedTask task) throws Exception {
    publish(task, null);
  }

  /** Publishes with a W3C traceparent header when one is given. */
  void publish(RoutedTask task, dev.agentyard.runtime.tracing.TraceParent trace) throws Exception {
    String topic = Topics.route(task.getRoute()).name();
    byte[] value = serializer.serialize(topic, task);
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, task.getTaskId().getBytes(StandardCharsets.UTF_8), value);
    if (trace != null) {
      trace.writeTo(record.headers());
    }
    producer.send(record).get();
  }

  void publishRaw(String route, String key, byte[] value) throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                Topics.route(route).name(), key.getBytes(StandardCharsets.UTF_8), value))
        .get();
  }

  void control(ControlScope scope, String target, ControlAction action) throws Exception {
    ControlCommand c =
        ControlCommand.newBuilder()
            .setCommandId(UUID.randomUUID().toString())
            .setScope(scope)
            .setTarget(target)
            .setAction(action)
            .setReason("integration test")
            .setIssuedBy("test")
            .setIssuedAt(Instant.now())
            .build();
    producer
        .send(
            new ProducerRecord<>(
                Topics.CONTROL.name(),
                ControlState.key(scope, target).getBytes(StandardCharsets.UTF_8),
                serializer.serialize(Topics.CONTROL.name(), c)))
        .get();
  }

  private void collect(ConsumerRecord<byte[], byte[]> r) {
    if (r.key() != null) {
      dev.agentyard.runtime.tracing.TraceParent.from(r.headers())
          .ifPresent(
              t -> {
                traceIds.put(r.topic() + "|" + key(r), t.traceId());
                traceParents.put(r.topic() + "|" + key(r), t);
              });
    }
    if (r.topic().endsWith(".dlq")) {
      deadLetters.add(r);
    } else {
      switch (outputReader.deserialize(r.topic(), r.headers(), r.value())) {
        case AgentResult a -> results.add(a);
        case ReviewItem ri -> reviews.add(ri);
        case ModelUsage u -> usage.add(u);
        default -> {}
      }
    }
  }

  static String key(ConsumerRecord<byte[], byte[]> r) {
    return new String(r.key(), StandardCharsets.UTF_8);
  }

  /**
   * Every step the route's journal received (tombstoned runs included: compaction has not run yet),
   * read from the beginning.
   */
  List<RunJournalEntry> journal(String route) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<RunJournalEntry> out = new ArrayList<>();
    String topic = Topics.journal(route).name();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
      while (!end.isEmpty()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() != null) {
            out.add((RunJournalEntry) outputReader.deserialize(r.topic(), r.headers(), r.value()));
          }
        }
        end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
      }
    }
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    tail.close();
    producer.close();
  }
}
