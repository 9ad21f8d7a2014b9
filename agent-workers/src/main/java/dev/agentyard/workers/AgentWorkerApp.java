package dev.agentyard.workers;

import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.runtime.deadletter.DeadLetterRecords;
import dev.agentyard.runtime.http.HealthCheck;
import dev.agentyard.runtime.http.OpsHttpServer;
import dev.agentyard.runtime.http.PollLoopHealth;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.runtime.lifecycle.ServiceRunner;
import dev.agentyard.runtime.metrics.ServiceMetrics;
import dev.agentyard.schemas.registry.SchemaRegistryClient;
import dev.agentyard.schemas.registry.SchemaRegistryClients;
import dev.agentyard.schemas.serde.AvroSerde;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.workers.agent.AgentLoop;
import dev.agentyard.workers.agent.Approvals;
import dev.agentyard.workers.consume.AsyncConsumerLoop;
import dev.agentyard.runtime.kafka.TopicFollower;
import dev.agentyard.runtime.control.ControlState;
import dev.agentyard.workers.idempotency.CompletedTasks;
import dev.agentyard.workers.provider.AnthropicClient;
import dev.agentyard.workers.provider.ModelClient;
import dev.agentyard.workers.provider.OpenAiClient;
import dev.agentyard.workers.resilience.ResilientModelCaller;
import dev.agentyard.workers.retry.RetryRouter;
import dev.agentyard.workers.tools.ToolRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent workers service: one asynchronous consumer loop (and consumer group) per route served,
 * sharing the model clients, the resilient caller, the producer, the control state and the
 * record of completed tasks.
 */
public final class AgentWorkerApp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AgentWorkerApp.class);

  private final ServiceRunner runner;
  private final List<AsyncConsumerLoop> loops;
  private final List<Thread> loopThreads;
  private final Map<String, TaskProcessor> processors;
  private final OpsHttpServer http;
  private final ServiceMetrics metrics;

  private AgentWorkerApp(ServiceRunner runner, List<AsyncConsumerLoop> loops, List<Thread> loopThreads,
      Map<String, TaskProcessor> processors, OpsHttpServer http, ServiceMetrics metrics) {
    this.runner = runner;
    this.loops = loops;
    this.loopThreads = loopThreads;
    this.processors = processors;
    this.http = http;
    this.metrics = metrics;
  }

  public static void main(String[] args) {
    System.exit(ServiceRunner.runMain(WorkerConfig.SERVICE, () -> start(ConfigLoader.load(WorkerConfig.defaults(), System.getenv()), System.getenv()).runner));
  }

  /** Starts the service with its effective configuration (see {@link WorkerConfig#effective}): it takes work once the control state and completed tasks are caught up. */
  public static AgentWorkerApp start(Map<String, String> rawConfig, Map<String, String> env) {
    WorkerConfig config = WorkerConfig.fromMap(rawConfig, env);
    ServiceRunner.logConfig(WorkerConfig.SERVICE, rawConfig);
    log.info("{}", config);
    Clock clock = Clock.systemUTC();
    ServiceRunner runner = new ServiceRunner(WorkerConfig.SERVICE);
    try {
      ServiceMetrics serviceMetrics = runner.register("metrics", new ServiceMetrics(WorkerConfig.SERVICE));
      WorkerMetrics metrics = new WorkerMetrics(serviceMetrics.registry());
      DefaultKafkaClients clients = new DefaultKafkaClients(config.kafka());
      SchemaRegistryClient registry = runner.register("schema registry client", SchemaRegistryClients.create(clients.serdeConfig()));
      Map<String, Object> serdeConfig = clients.serdeConfig();
      TaskProcessor.Serdes serdes = new TaskProcessor.Serdes(AvroSerde.specific(RoutedTask.class, registry, serdeConfig).deserializer(),
          AvroSerde.specific(AgentResult.class, registry, serdeConfig).serializer(), AvroSerde.specific(ReviewItem.class, registry, serdeConfig).serializer(),
          AvroSerde.specific(ModelUsage.class, registry, serdeConfig).serializer());

      // what must be known before taking work: kill switches and pauses, and which tasks are already done
      ControlState control = new ControlState(clock);
      TopicFollower controlFollower = runner.register("control follower", control.follower("control-follower",
          clients.consumer("agentyard-workers-follower", new ByteArrayDeserializer(), new ByteArrayDeserializer()),
          AvroSerde.specific(ControlCommand.class, registry, serdeConfig).deserializer()).start());
      CompletedTasks completed = new CompletedTasks(config.idempotencyMaxEntries());
      Approvals approvals = new Approvals(config.approvals(), config.idempotencyMaxEntries());
      Deserializer<AgentResult> resultReader = AvroSerde.specific(AgentResult.class, registry, serdeConfig).deserializer();
      TopicFollower resultsFollower = runner.register("results follower", new TopicFollower("results-follower",
          clients.consumer("agentyard-workers-follower", new ByteArrayDeserializer(), new ByteArrayDeserializer()),
          Topics.RESULTS.name(), config.idempotencyLookBack(), r -> {
            try {
              AgentResult result = r.value() == null ? null : resultReader.deserialize(r.topic(), r.headers(), r.value());
              if (result != null) {
                completed.mark(result.getRoute(), result.getTaskId(), CompletedTasks.Kind.RESULT);
              }
              if (result != null && result.getApprovalGrantId() != null) {
                approvals.markUsed(result.getApprovalGrantId());
              }
            } catch (RuntimeException e) {
              log.warn("Unreadable result at {}@{}; ignored for de-duplication and approval bookkeeping", r.partition(), r.offset());
            }
          }).start());
      Deserializer<ReviewItem> reviewReader = AvroSerde.specific(ReviewItem.class, registry, serdeConfig).deserializer();
      TopicFollower reviewFollower = runner.register("review follower", new TopicFollower("review-follower",
          clients.consumer("agentyard-workers-follower", new ByteArrayDeserializer(), new ByteArrayDeserializer()),
          Topics.REVIEW.name(), config.idempotencyLookBack(), r -> {
            try {
              ReviewItem item = r.value() == null ? null : reviewReader.deserialize(r.topic(), r.headers(), r.value());
              if (item != null && TaskProcessor.STAGE.equals(item.getStage())) {
                completed.mark(item.getRoute(), item.getTaskId(), CompletedTasks.Kind.REVIEW);
              }
              if (item != null && item.getApprovalGrantId() != null) {
                approvals.markUsed(item.getApprovalGrantId());
              }
            } catch (RuntimeException e) {
              log.warn("Unreadable review item at {}@{}; ignored for de-duplication", r.partition(), r.offset());
            }
          }).start());
      for (TopicFollower f : List.of(controlFollower, resultsFollower, reviewFollower)) {
        if (!f.awaitCaughtUp(config.startupCatchUp())) {
          throw new IllegalStateException("could not read the control/results/review topics within " + config.startupCatchUp()
              + (f.failure() == null ? "" : ": " + f.failure()));
        }
      }

      Producer<byte[], byte[]> producer = runner.register("producer", clients.producer("worker", new ByteArraySerializer(),
          new ByteArraySerializer()));
      serviceMetrics.bind(producer);

      ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
      runner.register("agent executor", executor::shutdownNow);
      ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, Thread.ofPlatform().name("worker-scheduler").daemon().factory());
      runner.register("scheduler", scheduler::shutdownNow);
      HttpClient httpClient = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1) // many parallel connections; no HTTP/2 stream limit as a hidden bound
          .connectTimeout(Duration.ofSeconds(10))
          .executor(executor)
          .build();
      runner.register("http client", httpClient);
      ResilientModelCaller caller = new ResilientModelCaller(modelClients(config, httpClient), config.resilience(), scheduler, clock,
          metrics::skipped);
      TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(caller.breakers()).bindTo(serviceMetrics.registry());
      TaggedRateLimiterMetrics.ofRateLimiterRegistry(caller.rateLimiters()).bindTo(serviceMetrics.registry());
      AgentLoop agentLoop = new AgentLoop(caller, ToolRegistry.loanTools(), config.prices(), control::killed, metrics::tool, approvals,
          executor, clock);

      OpsHttpServer http = runner.register("ops http", new OpsHttpServer(config.httpHost(), config.httpPort(), serviceMetrics::scrape));
      for (var f : Map.of("control", controlFollower, "results", resultsFollower, "review", reviewFollower).entrySet()) {
        http.readiness("follower-" + f.getKey(), () -> f.getValue().failure() == null
            ? HealthCheck.Status.up("following") : HealthCheck.Status.down("stopped: " + f.getValue().failure()));
      }
      RetryRouter retries = new RetryRouter(config.retryDelays(), clock, new DeadLetterRecords(WorkerConfig.SERVICE, clock));
      List<AsyncConsumerLoop> loops = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      Map<String, TaskProcessor> processors = new HashMap<>();
      for (String route : config.routes()) {
        var consumer = clients.consumer(WorkerConfig.groupOf(route), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        serviceMetrics.bind(consumer);
        TaskProcessor processor = new TaskProcessor(config.specs().get(route), agentLoop, serdes, producer, completed, retries,
            metrics, clock);
        PollLoopHealth health = new PollLoopHealth(clock, Duration.ofSeconds(60));
        AsyncConsumerLoop loop = new AsyncConsumerLoop(consumer, config.topicsOf(route), processor, config.maxInFlight(),
            config.commitInterval(), config.drainTimeout(), Duration.ofMillis(100), health, clock);
        loop.holdWhile(() -> control.routePaused(route));
        metrics.inFlight(route, loop::inFlight);
        http.readiness("route-" + route, health);
        Thread t = Thread.ofPlatform().name("worker-" + route).unstarted(() -> {
          loop.run();
          if (loop.failure() != null) {
            log.error("Route {} stopped on a failure; shutting the service down so it restarts clean", route);
            Thread.ofPlatform().name("worker-stop").start(runner::close);
          }
        });
        runner.register("route " + route, () -> {
          loop.close();
          t.join(config.drainTimeout().plusSeconds(15).toMillis());
        });
        loops.add(loop);
        threads.add(t);
        processors.put(route, processor);
      }
      threads.forEach(Thread::start);
      http.start();
      log.info("Agent workers started on routes {}; ops HTTP on {}:{}", config.routes(), config.httpHost(), http.port());
      return new AgentWorkerApp(runner, loops, threads, processors, http, serviceMetrics);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runner.close();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (RuntimeException e) {
      runner.close();
      throw e;
    }
  }

  /** A client per configured provider, in its wire format (the eval harness builds its agents with these too). */
  public static Map<String, ModelClient> modelClients(WorkerConfig config, HttpClient httpClient) {
    Map<String, ModelClient> clients = new HashMap<>();
    config.providers().forEach((name, p) -> clients.put(name, p.type().equals("anthropic")
        ? new AnthropicClient(p.baseUrl(), p.apiKey(), httpClient, p.timeout())
        : new OpenAiClient(name, p.baseUrl(), p.apiKey(), httpClient, p.timeout())));
    return clients;
  }

  /** Tasks in flight over all routes. */
  public int inFlight() {
    return processors.values().stream().mapToInt(TaskProcessor::inFlight).sum();
  }

  /** The processor of a route served here (for the benchmark's synchronous baseline). */
  public TaskProcessor processor(String route) {
    return processors.get(route);
  }

  public int httpPort() {
    return http.port();
  }

  public io.micrometer.core.instrument.MeterRegistry meterRegistry() {
    return metrics.registry();
  }

  /**
   * Stops as a crash would: consumers close without draining or committing, so the next owner of
   * their partitions consumes the uncommitted records again. For tests of exactly that.
   */
  public void abort() {
    loops.forEach(AsyncConsumerLoop::abort);
    for (Thread t : loopThreads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    runner.close();
  }

  /** Stops cleanly: in-flight work drains and is committed. */
  @Override
  public void close() {
    runner.close();
  }
}
