package dev.agentyard.router;

import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.ClassifierModel;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.RouteLabel;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.router.classify.ActiveClassifier;
import dev.agentyard.router.classify.BundledModel;
import dev.agentyard.router.classify.ClassifierTrainer;
import dev.agentyard.router.classify.DocumentClassifier;
import dev.agentyard.router.content.DocumentLoader;
import dev.agentyard.router.content.PdfText;
import dev.agentyard.router.corpus.Corpus;
import dev.agentyard.router.corpus.LabelledDocument;
import dev.agentyard.router.guard.InjectionScreen;
import dev.agentyard.router.learn.ClassifierRegistry;
import dev.agentyard.router.routing.RoutingEngine;
import dev.agentyard.runtime.config.InvalidConfigException;
import dev.agentyard.runtime.control.ControlState;
import dev.agentyard.runtime.kafka.KafkaClients;
import dev.agentyard.runtime.kafka.TopicFollower;
import dev.agentyard.runtime.lifecycle.ServiceModule;
import dev.agentyard.runtime.streams.DeadLetterExceptionHandler;
import dev.agentyard.runtime.streams.DeadLetterListener;
import dev.agentyard.schemas.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the router is assembled, in one place: its parts on top of {@link ServiceModule}'s config,
 * clients, clock and runner, each built on first use. {@link RouterApp} starts what this builds;
 * the evals build the classifier from it.
 */
public class RouterModule extends ServiceModule<RouterConfig> {

  private static final Logger log = LoggerFactory.getLogger(RouterModule.class);

  private RouterMetrics metrics;
  private DocumentClassifier classifier;
  private ActiveClassifier activeClassifier;
  private ControlState control;
  private DocumentLoader documentLoader;
  private RoutingEngine routingEngine;

  public RouterModule(RouterConfig config, KafkaClients clients, Clock clock) {
    super(RouterConfig.SERVICE, config, clients, clock);
  }

  public synchronized RouterMetrics metrics() {
    if (metrics == null) {
      metrics = new RouterMetrics(serviceMetrics().registry());
    }
    return metrics;
  }

  /**
   * The classifier the config asks for: a model file, one trained from a corpus directory at start,
   * or (by default) the model built with the router.
   */
  public synchronized DocumentClassifier classifier() {
    if (classifier == null) {
      if (config().modelFile().isPresent()) {
        classifier = loadClassifier();
      } else if (config().corpusDir().isPresent()) {
        classifier = trainClassifier(config().corpusDir().get());
      } else {
        classifier = BundledModel.load();
        log.info("Classifier {} (built with the router)", classifier.version());
      }
    }
    return classifier;
  }

  /** Whether the router follows the registry: asked to, and no model file or corpus pins one. */
  public boolean followsRegistry() {
    return config().followRegistry()
        && config().modelFile().isEmpty()
        && config().corpusDir().isEmpty();
  }

  /**
   * The classifier in force: {@link #classifier()} at start, then whatever the registry's {@code
   * current} says (see {@link #registryFollower()}).
   */
  public synchronized ActiveClassifier activeClassifier() {
    if (activeClassifier == null) {
      activeClassifier = new ActiveClassifier(classifier());
      metrics().classifierInForce(activeClassifier.get().version());
    }
    return activeClassifier;
  }

  /** Follows {@code agent.router.models.v1} into {@link #activeClassifier()}; started. */
  public TopicFollower registryFollower() {
    return runner()
        .register(
            "classifier registry follower",
            ClassifierRegistry.follower(
                    "router-classifier-registry",
                    clients()
                        .consumer(
                            config().applicationId() + "-models",
                            new ByteArrayDeserializer(),
                            new ByteArrayDeserializer()),
                    serde(ClassifierModel.class).deserializer(),
                    activeClassifier(),
                    metrics())
                .start());
  }

  private DocumentClassifier loadClassifier() {
    var file = config().modelFile().orElseThrow();
    try (InputStream in = Files.newInputStream(file)) {
      DocumentClassifier c = DocumentClassifier.load(in, "doccat-file-" + file.getFileName());
      log.info("Classifier {} loaded from {}", c.version(), file);
      return c;
    } catch (IOException | RuntimeException e) {
      throw new InvalidConfigException(
          "router.classifier.model-file", "cannot load a classifier model from " + file + ": " + e);
    }
  }

  private DocumentClassifier trainClassifier(Path dir) {
    long start = System.nanoTime();
    List<LabelledDocument> corpus;
    try {
      corpus = Corpus.load(dir);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw new InvalidConfigException(
          "router.classifier.corpus-dir",
          "no labelled corpus in "
              + dir
              + " (index.tsv and the documents it names): "
              + e.getMessage());
    }
    DocumentClassifier c =
        ClassifierTrainer.train(corpus, new PdfText(config().limits().pdfMaxPages()));
    log.info(
        "Classifier {} trained from the corpus in {} ({} documents) in {} ms",
        c.version(),
        dir,
        corpus.size(),
        (System.nanoTime() - start) / 1_000_000);
    return c;
  }

  /**
   * The kill switches and pauses in force, as far as they have been read (see {@link
   * #controlFollower()}).
   */
  public synchronized ControlState control() {
    if (control == null) {
      control = new ControlState(clock());
    }
    return control;
  }

  /** Follows {@code agent.control.v1} into {@link #control()}; started. */
  public TopicFollower controlFollower() {
    return runner()
        .register(
            "control follower",
            control()
                .follower(
                    "router-control-follower",
                    clients()
                        .consumer(
                            config().applicationId() + "-control",
                            new ByteArrayDeserializer(),
                            new ByteArrayDeserializer()),
                    serde(ControlCommand.class).deserializer())
                .start());
  }

  public synchronized DocumentLoader documentLoader() {
    if (documentLoader == null) {
      HttpClient http =
          runner()
              .register(
                  "document http client",
                  HttpClient.newBuilder()
                      .connectTimeout(config().limits().fetchTimeout())
                      // a redirect could lead past router.document.allowed-hosts: answered as
                      // unavailable instead
                      .followRedirects(HttpClient.Redirect.NEVER)
                      .build());
      documentLoader = new DocumentLoader(config().limits(), http);
      metrics().pdfTextCache(documentLoader);
    }
    return documentLoader;
  }

  public synchronized RoutingEngine routingEngine() {
    if (routingEngine == null) {
      routingEngine =
          new RoutingEngine(
              config().routes(),
              activeClassifier(),
              new InjectionScreen(),
              control(),
              metrics(),
              clock());
    }
    return routingEngine;
  }

  /**
   * The routing topology for tasks and results topics of {@code taskPartitions} partitions each.
   */
  public Topology topology(int taskPartitions) {
    return RouterTopology.build(
        config(),
        new RouterTopology.Serdes5(
            serde(TaskSubmitted.class),
            serde(RoutedTask.class),
            serde(ReviewItem.class),
            serde(AgentResult.class),
            serde(RouteLabel.class)),
        documentLoader(),
        routingEngine(),
        metrics(),
        taskPartitions,
        new RouterTopology.Spans(tracing(), config().applicationId()));
  }

  /**
   * Kafka Streams settings: the service's client settings and the dead-letter handlers; unless
   * {@code kafka.streams.num.stream.threads} is set, one stream thread per core, up to the tasks
   * topic's partitions (a thread beyond them would have no task to run).
   */
  public Properties streamsProperties(int taskPartitions) {
    Properties props = new Properties();
    props.putAll(clients().streamsConfig(config().applicationId()));
    props.putIfAbsent(
        StreamsConfig.NUM_STREAM_THREADS_CONFIG,
        defaultStreamThreads(Runtime.getRuntime().availableProcessors(), taskPartitions));
    props.putAll(deadLetterSettings(metrics()));
    return props;
  }

  /**
   * Stream threads when none are configured: one per core, at most one per task partition. A
   * document's load, screen and classification are CPU work of a millisecond or so, on the thread
   * that polled it: with one thread the router used one core of however many it had.
   */
  static int defaultStreamThreads(int cores, int taskPartitions) {
    return Math.max(1, Math.min(cores, taskPartitions));
  }

  /** The dead-letter handler settings (the topology tests use them too). */
  static Map<String, Object> deadLetterSettings(RouterMetrics metrics) {
    Map<String, Object> p = new HashMap<>();
    p.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterExceptionHandler.class);
    p.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
    p.put(DeadLetterExceptionHandler.SOURCE_TOPIC_CONFIG, Topics.TASKS.name());
    p.put(DeadLetterExceptionHandler.SOURCE_TOPIC_ONLY_CONFIG, "true");
    p.put(DeadLetterExceptionHandler.SERVICE_CONFIG, RouterConfig.SERVICE);
    p.put(
        DeadLetterExceptionHandler.LISTENER_CONFIG,
        (DeadLetterListener) (topic, reason) -> metrics.deadLetter(reason));
    return p;
  }

  /**
   * The partitions of the tasks topic, checked equal to the results topic's: the pending-triage
   * store is shared by both inputs, so a task and its verdict must land in the same partition
   * number.
   */
  public int coPartitionedTaskPartitions() {
    try (Admin admin = clients().admin()) {
      var topics =
          admin
              .describeTopics(List.of(Topics.TASKS.name(), Topics.RESULTS.name()))
              .allTopicNames()
              .get(30, TimeUnit.SECONDS);
      int tasks = topics.get(Topics.TASKS.name()).partitions().size();
      int results = topics.get(Topics.RESULTS.name()).partitions().size();
      if (tasks != results) {
        throw new IllegalStateException(
            Topics.TASKS.name()
                + " has "
                + tasks
                + " partitions and "
                + Topics.RESULTS.name()
                + " has "
                + results
                + "; the router needs them equal (a task and its triage verdict must meet in one partition)");
      }
      return tasks;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot describe "
              + Topics.TASKS.name()
              + " and "
              + Topics.RESULTS.name()
              + " (are the topics provisioned?): "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
