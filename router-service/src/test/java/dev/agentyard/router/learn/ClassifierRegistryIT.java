package dev.agentyard.router.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.ClassifierModel;
import dev.agentyard.avro.LabelSource;
import dev.agentyard.avro.ModelAction;
import dev.agentyard.avro.RouteLabel;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.router.Fixtures;
import dev.agentyard.router.RouterApp;
import dev.agentyard.router.RouterConfig;
import dev.agentyard.router.RouterModule;
import dev.agentyard.router.classify.BundledModel;
import dev.agentyard.router.classify.ClassifierTrainer;
import dev.agentyard.router.corpus.LabelledDocument;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.schemas.serde.AvroDeserializer;
import dev.agentyard.schemas.serde.AvroSerializer;
import dev.agentyard.schemas.topics.TopicProvisioner;
import dev.agentyard.schemas.topics.TopicSpec;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import dev.agentyard.testing.TopicTail;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The learning loop on a real broker and registry: triage verdicts become labelled examples on
 * agent.router.labels.v1, the retraining job promotes a candidate through the registry, the running
 * router switches to it (every RoutedTask names it), a candidate taught wrong labels is refused and
 * changes nothing, and a rollback puts the model before back in force.
 */
@ExtendWith(KafkaAndRegistryExtension.class)
class ClassifierRegistryIT {

  KafkaCluster kafka;
  SchemaRegistryEndpoint registry;
  KafkaProducer<byte[], byte[]> producer;
  AvroSerializer<Object> serializer;
  TopicTail tail;
  final List<Object> values = Collections.synchronizedList(new ArrayList<>());
  Map<String, String> config;

  @BeforeEach
  void setUp(KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    this.kafka = kafka;
    this.registry = registry;
    try (Admin admin = kafka.admin()) {
      new TopicProvisioner(admin, (short) 1)
          .apply(
              Topics.catalogue(Topics.DEFAULT_ROUTES).stream()
                  .map(t -> t.partitions() > 1 ? t.withPartitions(2) : t)
                  .toList(),
              false);
    }
    serializer = new AvroSerializer<>();
    serializer.configure(
        Map.of("schema.registry.url", registry.url(), "auto.register.schemas", true), false);
    Map<String, Object> p = new HashMap<>(kafka.clientProperties());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.DOCUMENT_MAX_MESSAGE_BYTES);
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    AvroDeserializer<Object> d = new AvroDeserializer<>();
    d.configure(Map.of("schema.registry.url", registry.url(), "specific.avro.reader", true), false);
    List<String> read =
        new ArrayList<>(Topics.DEFAULT_ROUTES.stream().map(r -> Topics.route(r).name()).toList());
    read.add(Topics.ROUTE_LABELS.name());
    tail =
        TopicTail.start(
            kafka, read, r -> values.add(d.deserialize(r.topic(), r.headers(), r.value())));
    config = new HashMap<>();
    config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    config.put("schema.registry.url", registry.url());
    config.put("kafka.replication.factor", "1");
    config.put("http.port", "0");
    config.put("router.application.id", "router-registry-it");
    config.put("router.route.property.enabled", "true");
    config.put("kafka.streams.state.dir", Files.createTempDirectory("registry-it").toString());
    config.put("kafka.streams.commit.interval.ms", "200");
  }

  @AfterEach
  void tearDown() throws Exception {
    tail.close();
    producer.close();
  }

  private void send(String topic, String key, Object value) throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                topic, key.getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, value)))
        .get();
  }

  private RoutedTask routedOnce(String taskId, String text) throws Exception {
    TaskSubmitted t = Fixtures.textTask(taskId, text);
    send(Topics.TASKS.name(), taskId, t);
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              synchronized (values) {
                return values.stream()
                    .filter(v -> v instanceof RoutedTask r && r.getTaskId().equals(taskId))
                    .map(v -> (RoutedTask) v)
                    .findFirst()
                    .orElse(null);
              }
            },
            r -> r != null);
  }

  private static AgentResult verdict(String taskId, String route) {
    return Fixtures.triageVerdict(
        taskId,
        "{\"route\":\"" + route + "\",\"confidence\":0.92,\"reason\":\"by its title\"}",
        Instant.now());
  }

  @Test
  void triageVerdictsTeachACandidateTheGatePromotesTheRouterFollowsAndARollbackUndoes()
      throws Exception {
    String bundled = BundledModel.load().version();
    List<LabelledDocument> golden =
        Fixtures.CORPUS.stream().filter(d -> d.split().equals(LabelledDocument.TEST)).toList();
    RouterConfig rc = RouterConfig.fromMap(RouterConfig.effective(config));
    try (RouterApp.Running router = RouterApp.start(RouterConfig.effective(config));
        RouterModule tools =
            new RouterModule(rc, new DefaultKafkaClients(rc.kafka()), Clock.systemUTC())) {
      ClassifierModels models = ClassifierModels.of(tools);
      assertThat(routedOnce("before", Fixtures.text("w2", 1)).getDecision().getClassifierVersion())
          .isEqualTo(bundled);

      // documents the classifier is unsure of go to triage; the verdicts come back as labels
      List<String> unsure = List.of("newsletter", "utility-bill", "medical-bill");
      for (int i = 0; i < unsure.size(); i++) {
        String id = "unsure-" + i;
        assertThat(routedOnce(id, Fixtures.text(unsure.get(i), 1)).getRoute()).isEqualTo("triage");
        send(Topics.RESULTS.name(), id, verdict(id, "none"));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> labels().size() == unsure.size());
      assertThat(labels())
          .allSatisfy(
              l -> {
                assertThat(l.getSource()).isEqualTo(LabelSource.TRIAGE);
                assertThat(l.getClassifierVersion()).isEqualTo(bundled);
                assertThat(l.getText()).doesNotContainPattern("[1-9]");
              });

      ClassifierModels.Round first =
          models.retrain(Fixtures.CORPUS, golden, "it:retrain", 0.02, false);
      assertThat(first.labels()).isEqualTo(3);
      assertThat(first.promoted()).as(first.candidate().getReason()).isTrue();
      String promoted = first.candidate().getVersion();
      assertThat(promoted).isNotEqualTo(bundled);
      Map<String, ClassifierModel> entries = models.entries();
      assertThat(entries.get(ClassifierRegistry.CURRENT).getVersion()).isEqualTo(promoted);
      assertThat(entries.get(ClassifierRegistry.CURRENT).getPreviousVersion()).isEqualTo(bundled);
      assertThat(entries.get(ClassifierRegistry.modelKey(bundled)).getAction())
          .isEqualTo(ModelAction.REGISTERED);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  router
                          .metrics()
                          .registry()
                          .find("agentyard.router.classifier.model")
                          .tag("version", promoted)
                          .gauge()
                      != null);
      assertThat(routedOnce("after", Fixtures.text("w2", 2)).getDecision().getClassifierVersion())
          .isEqualTo(promoted);

      // a reviewer who calls every bank statement an identity document
      for (LabelledDocument d : Fixtures.CORPUS) {
        if (d.label().equals("banking") && d.split().equals(LabelledDocument.TRAIN)) {
          send(
              Topics.ROUTE_LABELS.name(),
              "w-" + d.id(),
              RouteLabel.newBuilder()
                  .setTaskId("w-" + d.id())
                  .setTenant("acme-bank")
                  .setRoute("identity")
                  .setSource(LabelSource.REVIEWER)
                  .setLabelledBy("cli:careless")
                  .setText(ClassifierTrainer.text(d, RouterConfig.DEFAULT_PDF))
                  .setLabelledAt(Instant.now())
                  .build());
        }
      }
      ClassifierModels.Round second =
          models.retrain(Fixtures.CORPUS, golden, "it:retrain", 0.02, false);
      assertThat(second.promoted()).isFalse();
      assertThat(second.candidate().getAction()).isEqualTo(ModelAction.REFUSED);
      assertThat(second.candidate().getReason()).startsWith("less precise than the model in force");
      entries = models.entries();
      assertThat(entries.get(ClassifierRegistry.CURRENT).getVersion()).isEqualTo(promoted);
      assertThat(
              entries.get(ClassifierRegistry.modelKey(second.candidate().getVersion())).getAction())
          .isEqualTo(ModelAction.REFUSED);
      assertThat(
              routedOnce("refused", Fixtures.text("1099", 0)).getDecision().getClassifierVersion())
          .isEqualTo(promoted);

      ClassifierModel back = models.rollback(Optional.empty(), "it:on-call", "misroutes since");
      assertThat(back.getVersion()).isEqualTo(bundled);
      assertThat(back.getAction()).isEqualTo(ModelAction.ROLLED_BACK);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          routedOnce("rolled-" + System.nanoTime(), Fixtures.text("1040", 0))
                              .getDecision()
                              .getClassifierVersion())
                      .isEqualTo(bundled));
    }
  }

  private List<RouteLabel> labels() {
    synchronized (values) {
      return values.stream()
          .filter(v -> v instanceof RouteLabel l && l.getTaskId().startsWith("unsure-"))
          .map(v -> (RouteLabel) v)
          .toList();
    }
  }
}
