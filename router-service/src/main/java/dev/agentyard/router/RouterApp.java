package dev.agentyard.router;

import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.ControlAction;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ControlScope;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.router.classify.ClassifierTrainer;
import dev.agentyard.router.classify.DocumentClassifier;
import dev.agentyard.router.content.DocumentLoader;
import dev.agentyard.router.content.PdfText;
import dev.agentyard.router.corpus.Corpus;
import dev.agentyard.router.guard.InjectionScreen;
import dev.agentyard.router.routing.RoutingEngine;
import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.runtime.control.ControlState;
import dev.agentyard.runtime.http.HealthCheck;
import dev.agentyard.runtime.http.OpsHttpServer;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.runtime.kafka.TopicFollower;
import dev.agentyard.runtime.lifecycle.ServiceRunner;
import dev.agentyard.runtime.metrics.ServiceMetrics;
import dev.agentyard.runtime.streams.DeadLetterExceptionHandler;
import dev.agentyard.runtime.streams.StreamsLifecycle;
import dev.agentyard.runtime.streams.DeadLetterListener;
import dev.agentyard.schemas.registry.SchemaRegistryClient;
import dev.agentyard.schemas.registry.SchemaRegistryClients;
import dev.agentyard.schemas.serde.AvroSerde;
import dev.agentyard.schemas.topics.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router service: reads config, loads (or trains) the classifier, follows the control topic,
 * runs the routing topology on Kafka Streams (exactly-once v2) and the ops HTTP endpoints. A
 * global PAUSE or KILL on {@code agent.control.v1} pauses the topology: nothing is routed and
 * nothing is lost; the tasks wait in {@code agent.tasks.v1} until it is lifted.
 */
public final class RouterApp {

  private static final Logger log = LoggerFactory.getLogger(RouterApp.class);

  private RouterApp() {}

  public static void main(String[] args) {
    System.exit(ServiceRunner.runMain(RouterConfig.SERVICE, () -> start(ConfigLoader.load(RouterConfig.defaults(), System.getenv())).runner()));
  }

  /** A running router; closing it stops the service. */
  public record Running(ServiceRunner runner, KafkaStreams streams, ServiceMetrics metrics) implements AutoCloseable {
    @Override
    public void close() {
      runner.close();
    }
  }

  /** The classifier the config asks for: a model file, or one trained from the bundled corpus. */
  public static DocumentClassifier classifier(RouterConfig config) {
    if (config.modelFile().isPresent()) {
      try (InputStream in = Files.newInputStream(config.modelFile().get())) {
        DocumentClassifier c = DocumentClassifier.load(in, "doccat-file-" + config.modelFile().get().getFileName());
        log.info("Classifier {} loaded from {}", c.version(), config.modelFile().get());
        return c;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load the classifier model " + config.modelFile().get(), e);
      }
    }
    long start = System.nanoTime();
    var corpus = Corpus.bundled();
    DocumentClassifier c = ClassifierTrainer.train(corpus, new PdfText(config.limits().pdfMaxPages()));
    log.info("Classifier {} trained from the bundled corpus ({} documents) in {} ms", c.version(), corpus.size(),
        (System.nanoTime() - start) / 1_000_000);
    return c;
  }

  /** The dead-letter handler settings, shared with the topology tests. */
  public static Map<String, Object> deadLetterSettings(RouterMetrics metrics) {
    Map<String, Object> p = new HashMap<>();
    p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
    p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
    p.put(DeadLetterExceptionHandler.SOURCE_TOPIC_CONFIG, Topics.TASKS.name());
    p.put(DeadLetterExceptionHandler.SOURCE_TOPIC_ONLY_CONFIG, "true");
    p.put(DeadLetterExceptionHandler.SERVICE_CONFIG, RouterConfig.SERVICE);
    p.put(DeadLetterExceptionHandler.LISTENER_CONFIG, (DeadLetterListener) (topic, reason) -> metrics.deadLetter(reason));
    return p;
  }

  /** Starts the router with its effective configuration (see {@link RouterConfig#effective}). */
  public static Running start(Map<String, String> rawConfig) {
    RouterConfig config = RouterConfig.fromMap(rawConfig);
    ServiceRunner.logConfig(RouterConfig.SERVICE, rawConfig);
    log.info("{}", config);
    Clock clock = Clock.systemUTC();
    ServiceRunner runner = new ServiceRunner(RouterConfig.SERVICE);
    try {
      ServiceMetrics serviceMetrics = runner.register("metrics", new ServiceMetrics(RouterConfig.SERVICE));
      RouterMetrics metrics = new RouterMetrics(serviceMetrics.registry());
      DefaultKafkaClients clients = new DefaultKafkaClients(config.kafka());
      SchemaRegistryClient registry = runner.register("schema registry client", SchemaRegistryClients.create(clients.serdeConfig()));
      Map<String, Object> serdeConfig = clients.serdeConfig();
      int taskPartitions = checkCoPartitioned(clients);

      DocumentClassifier classifier = classifier(config);
      ControlState control = new ControlState(clock);
      TopicFollower controlFollower = runner.register("control follower", control.follower("router-control-follower",
          clients.consumer(config.applicationId() + "-control", new ByteArrayDeserializer(), new ByteArrayDeserializer()),
          AvroSerde.specific(ControlCommand.class, registry, serdeConfig).deserializer()).start());
      if (!controlFollower.awaitCaughtUp(config.startupCatchUp())) {
        throw new IllegalStateException("could not read " + Topics.CONTROL.name() + " within " + config.startupCatchUp()
            + (controlFollower.failure() == null ? "" : ": " + controlFollower.failure()));
      }

      HttpClient http = HttpClient.newBuilder().connectTimeout(config.limits().fetchTimeout())
          // a redirect could lead past router.document.allowed-hosts: answered as unavailable instead
          .followRedirects(HttpClient.Redirect.NEVER).build();
      runner.register("document http client", http);
      DocumentLoader loader = new DocumentLoader(config.limits(), http);
      RoutingEngine engine = new RoutingEngine(config.routes(), classifier, new InjectionScreen(), control, metrics, clock);
      Topology topology = RouterTopology.build(config, new RouterTopology.Serdes5(AvroSerde.specific(TaskSubmitted.class, registry, serdeConfig),
          AvroSerde.specific(RoutedTask.class, registry, serdeConfig), AvroSerde.specific(ReviewItem.class, registry, serdeConfig),
          AvroSerde.specific(AgentResult.class, registry, serdeConfig)), loader, engine, metrics, taskPartitions);
      log.info("Topology:\n{}", topology.describe());

      Properties props = new Properties();
      props.putAll(clients.streamsConfig(config.applicationId()));
      props.putAll(deadLetterSettings(metrics));
      KafkaStreams streams = new KafkaStreams(topology, props);
      StreamsLifecycle.attach(streams, runner, serviceMetrics.registry(), RouterConfig.SERVICE);

      ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("router-control").daemon().factory());
      runner.register("control scheduler", scheduler::shutdownNow);
      Runnable applyGlobal = () -> {
        var stop = control.active(ControlScope.GLOBAL, "*")
            .filter(c -> c.getAction() == ControlAction.PAUSE || c.getAction() == ControlAction.KILL);
        if (stop.isPresent() && !streams.isPaused()) {
          log.warn("Global {} by {} ({}): routing paused; tasks wait in {}", stop.get().getAction(), stop.get().getIssuedBy(),
              stop.get().getReason(), Topics.TASKS.name());
          streams.pause();
        } else if (stop.isEmpty() && streams.isPaused()) {
          log.info("Global stop lifted: routing resumes");
          streams.resume();
        }
      };
      applyGlobal.run(); // before start: a stop in force at start-up routes nothing
      scheduler.scheduleWithFixedDelay(() -> {
        try {
          applyGlobal.run();
        } catch (RuntimeException e) {
          log.warn("Could not apply the global control state", e);
        }
      }, config.controlPollInterval().toMillis(), config.controlPollInterval().toMillis(), TimeUnit.MILLISECONDS);

      OpsHttpServer ops = runner.register("ops http", new OpsHttpServer(config.httpHost(), config.httpPort(), serviceMetrics::scrape));
      ops.readiness("kafka-streams", () -> streams.state() == KafkaStreams.State.RUNNING
          ? HealthCheck.Status.up(streams.isPaused() ? "RUNNING (paused by a global stop)" : "RUNNING")
          : HealthCheck.Status.down(streams.state().name()));
      ops.readiness("follower-control", () -> controlFollower.failure() == null
          ? HealthCheck.Status.up("following") : HealthCheck.Status.down("stopped: " + controlFollower.failure()));
      streams.start();
      ops.start();
      log.info("Router started: classifier {}, routes {}, ops HTTP on {}:{}", classifier.version(),
          config.routes().byName().keySet(), config.httpHost(), ops.port());
      return new Running(runner, streams, serviceMetrics);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runner.close();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (RuntimeException e) {
      runner.close();
      throw e;
    }
  }

  /**
   * The pending-triage store is shared by the tasks and results inputs, so a task and its verdict
   * must land in the same partition number: both topics need the same partition count.
   */
  private static int checkCoPartitioned(DefaultKafkaClients clients) {
    try (Admin admin = clients.admin()) {
      var topics = admin.describeTopics(List.of(Topics.TASKS.name(), Topics.RESULTS.name())).allTopicNames().get(30, TimeUnit.SECONDS);
      int tasks = topics.get(Topics.TASKS.name()).partitions().size();
      int results = topics.get(Topics.RESULTS.name()).partitions().size();
      if (tasks != results) {
        throw new IllegalStateException(Topics.TASKS.name() + " has " + tasks + " partitions and " + Topics.RESULTS.name() + " has "
            + results + "; the router needs them equal (a task and its triage verdict must meet in one partition)");
      }
      return tasks;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot describe " + Topics.TASKS.name() + " and " + Topics.RESULTS.name()
          + " (are the topics provisioned?): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
