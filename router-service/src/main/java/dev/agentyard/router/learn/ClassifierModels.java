package dev.agentyard.router.learn;

import dev.agentyard.avro.ClassifierEvaluation;
import dev.agentyard.avro.ClassifierModel;
import dev.agentyard.avro.ModelAction;
import dev.agentyard.avro.RouteLabel;
import dev.agentyard.router.RouterModule;
import dev.agentyard.router.classify.BundledModel;
import dev.agentyard.router.classify.DocumentClassifier;
import dev.agentyard.router.content.PdfText;
import dev.agentyard.router.corpus.Corpus;
import dev.agentyard.router.corpus.LabelledDocument;
import dev.agentyard.router.routing.RouteTable;
import dev.agentyard.runtime.kafka.KafkaClients;
import dev.agentyard.schemas.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The retraining job and the registry's commands, against the cluster: reads the labelled examples
 * and the registry to their current ends, trains and judges a candidate ({@link Retraining}), and
 * writes its entry — and, when promoted, {@code current} — in one transaction, so the routers never
 * see a promotion without its record. Rollback writes {@code current} again from an earlier entry.
 */
public final class ClassifierModels {

  /** Transactional id of the registry writer: a second job running at once is fenced. */
  public static final String TRANSACTIONAL_ID = "agentyard-router-models";

  /** What a retraining round did. */
  public record Round(
      ClassifierModel candidate,
      Optional<ClassifierModel> inForce,
      boolean promoted,
      boolean written,
      int labels) {}

  private final KafkaClients clients;
  private final Serde<ClassifierModel> models;
  private final Serde<RouteLabel> labels;
  private final RouteTable routes;
  private final PdfText pdf;
  private final Clock clock;

  public ClassifierModels(
      KafkaClients clients,
      Serde<ClassifierModel> models,
      Serde<RouteLabel> labels,
      RouteTable routes,
      PdfText pdf,
      Clock clock) {
    this.clients = clients;
    this.models = models;
    this.labels = labels;
    this.routes = routes;
    this.pdf = pdf;
    this.clock = clock;
  }

  /** The registry as a router module's clients, serdes, routes and PDF limits reach it. */
  public static ClassifierModels of(RouterModule m) {
    return new ClassifierModels(
        m.clients(),
        m.serde(ClassifierModel.class),
        m.serde(RouteLabel.class),
        m.config().routes(),
        new PdfText(m.config().limits().pdfMaxPages()),
        m.clock());
  }

  /** Every entry of the registry, latest per key. */
  public Map<String, ClassifierModel> entries() {
    Map<String, ClassifierModel> out = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : readAll(Topics.CLASSIFIER_MODELS.name()).records()) {
      String key = new String(r.key(), StandardCharsets.UTF_8);
      if (r.value() == null) {
        out.remove(key);
      } else {
        out.put(key, models.deserializer().deserialize(r.topic(), r.headers(), r.value()));
      }
    }
    return out;
  }

  /** The models trained, oldest decision first. */
  public List<ClassifierModel> history() {
    return entries().entrySet().stream()
        .filter(e -> !e.getKey().equals(ClassifierRegistry.CURRENT))
        .map(Map.Entry::getValue)
        .sorted(Comparator.comparing(ClassifierModel::getDecidedAt))
        .toList();
  }

  /**
   * One round: train a candidate on {@code corpus} plus every labelled example, judge it against
   * the model in force on {@code golden}, and (unless {@code dryRun}) record it and promote it if
   * the gate lets it through.
   */
  public Round retrain(
      List<LabelledDocument> corpus,
      List<LabelledDocument> golden,
      String actor,
      double maxShareDrop,
      boolean dryRun)
      throws IOException {
    Map<String, ClassifierModel> entries = entries();
    Optional<ClassifierModel> current =
        Optional.ofNullable(entries.get(ClassifierRegistry.CURRENT));
    DocumentClassifier inForce =
        current.isPresent() ? ClassifierRegistry.classifier(current.get()) : BundledModel.load();
    Snapshot labelRecords = readAll(Topics.ROUTE_LABELS.name());
    Map<String, RouteLabel> byKey = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : labelRecords.records()) {
      String key = new String(r.key(), StandardCharsets.UTF_8);
      if (r.value() == null) {
        byKey.remove(key);
      } else {
        byKey.put(key, labels.deserializer().deserialize(r.topic(), r.headers(), r.value()));
      }
    }
    List<RouteLabel> examples = Retraining.latestPerTask(byKey.values(), routes);
    DocumentClassifier candidate =
        Retraining.train(corpus, Retraining.asTraining(examples, routes), pdf);
    ClassifierEvaluation candidateEval = Retraining.evaluate(candidate, golden, routes, pdf);
    ClassifierEvaluation inForceEval = Retraining.evaluate(inForce, golden, routes, pdf);
    Retraining.Gate gate = Retraining.gate(candidateEval, inForceEval, maxShareDrop);
    boolean same = candidate.version().equals(inForce.version());
    ClassifierModel entry =
        ClassifierModel.newBuilder()
            .setVersion(candidate.version())
            .setFormat(ClassifierRegistry.FORMAT)
            .setModel(ClassifierRegistry.bytes(candidate))
            .setTrainedAt(clock.instant())
            .setCorpusFingerprint(Corpus.fingerprint(corpus))
            .setLabelledExamples(examples.size())
            .setLabelsUpTo(labelRecords.endOffsets())
            .setEvaluation(candidateEval)
            .setBaselineVersion(inForce.version())
            .setBaseline(inForceEval)
            .setAction(gate.promote() && !same ? ModelAction.PROMOTED : ModelAction.REFUSED)
            .setActor(actor)
            .setReason(same ? "the model in force was trained on exactly this data" : gate.reason())
            .setDecidedAt(clock.instant())
            .build();
    boolean promote = entry.getAction() == ModelAction.PROMOTED;
    if (dryRun || same) {
      return new Round(entry, current, false, false, examples.size());
    }
    List<ProducerRecord<String, ClassifierModel>> writes = new ArrayList<>();
    if (current.isEmpty() && !entries.containsKey(ClassifierRegistry.modelKey(inForce.version()))) {
      // the model built with the router becomes an entry, so a rollback can go back to it
      writes.add(
          record(
              ClassifierRegistry.modelKey(inForce.version()),
              ClassifierModel.newBuilder(entry)
                  .setVersion(inForce.version())
                  .setModel(ClassifierRegistry.bytes(inForce))
                  .setLabelledExamples(0)
                  .setLabelsUpTo(null)
                  .setEvaluation(inForceEval)
                  .setBaselineVersion(null)
                  .setBaseline(null)
                  .setAction(ModelAction.REGISTERED)
                  .setReason("the model built with the router, in force until the first promotion")
                  .build()));
    }
    writes.add(record(ClassifierRegistry.modelKey(entry.getVersion()), entry));
    if (promote) {
      writes.add(
          record(
              ClassifierRegistry.CURRENT,
              ClassifierModel.newBuilder(entry).setPreviousVersion(inForce.version()).build()));
    }
    write(writes);
    return new Round(entry, current, promote, true, examples.size());
  }

  /**
   * Puts an earlier model back in force: {@code to}, or the one the current model replaced.
   *
   * @throws NoSuchElementException when there is no current model or no such entry
   */
  public ClassifierModel rollback(Optional<String> to, String actor, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a rollback needs a reason, for the registry's record");
    }
    Map<String, ClassifierModel> entries = entries();
    ClassifierModel current = entries.get(ClassifierRegistry.CURRENT);
    if (current == null) {
      throw new NoSuchElementException(
          "no model was ever promoted: the routers run the model built with them");
    }
    String target =
        to.or(() -> Optional.ofNullable(current.getPreviousVersion()))
            .orElseThrow(() -> new NoSuchElementException("the current model replaced none"));
    if (target.equals(current.getVersion())) {
      throw new IllegalArgumentException(target + " is already in force");
    }
    ClassifierModel entry = entries.get(ClassifierRegistry.modelKey(target));
    if (entry == null) {
      throw new NoSuchElementException(
          "no model "
              + target
              + " in the registry; known: "
              + history().stream().map(ClassifierModel::getVersion).collect(Collectors.toList()));
    }
    ClassifierModel next =
        ClassifierModel.newBuilder(entry)
            .setAction(ModelAction.ROLLED_BACK)
            .setPreviousVersion(current.getVersion())
            .setActor(actor)
            .setReason(reason)
            .setDecidedAt(clock.instant())
            .build();
    write(List.of(record(ClassifierRegistry.CURRENT, next)));
    return next;
  }

  private static ProducerRecord<String, ClassifierModel> record(String key, ClassifierModel m) {
    return new ProducerRecord<>(Topics.CLASSIFIER_MODELS.name(), key, m);
  }

  private void write(List<ProducerRecord<String, ClassifierModel>> records) {
    try (Producer<String, ClassifierModel> p =
        clients.transactionalProducer(
            TRANSACTIONAL_ID, new StringSerializer(), models.serializer())) {
      p.initTransactions();
      p.beginTransaction();
      records.forEach(p::send);
      p.commitTransaction();
    }
  }

  /** Records of a topic from its beginning to its end when read, and those ends. */
  record Snapshot(List<ConsumerRecord<byte[], byte[]>> records, String endOffsets) {}

  private Snapshot readAll(String topic) {
    try (Consumer<byte[], byte[]> c =
        clients.consumer(
            "agentyard-router-models-reader",
            Map.of("enable.auto.commit", false),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(parts));
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end in 2 minutes");
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (r.key() != null
              && r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            out.add(r);
          }
        }
      }
      String ends =
          parts.stream()
              .sorted(Comparator.comparingInt(TopicPartition::partition))
              .map(p -> p.partition() + ":" + end.get(p))
              .collect(Collectors.joining(","));
      return new Snapshot(out, ends);
    }
  }
}
