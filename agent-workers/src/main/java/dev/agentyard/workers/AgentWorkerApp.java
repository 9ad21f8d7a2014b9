package dev.agentyard.workers;

import dev.agentyard.runtime.config.ConfigFiles;
import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.runtime.errors.AuthorizationFailures;
import dev.agentyard.runtime.http.HealthCheck;
import dev.agentyard.runtime.http.OpsHttpServer;
import dev.agentyard.runtime.http.PollLoopHealth;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.runtime.kafka.TopicFollower;
import dev.agentyard.runtime.lifecycle.ServiceRunner;
import dev.agentyard.runtime.metrics.ServiceMetrics;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.workers.consume.AsyncConsumerLoop;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent workers service: one asynchronous consumer loop (and consumer group) per route served,
 * sharing what {@link WorkerModule} builds — the model clients, the resilient caller, the producer,
 * the control state and the record of completed tasks.
 */
public final class AgentWorkerApp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AgentWorkerApp.class);

  private final ServiceRunner runner;
  private final List<AsyncConsumerLoop> loops;
  private final List<Thread> loopThreads;
  private final Map<String, TaskProcessor> processors;
  private final OpsHttpServer http;
  private final ServiceMetrics metrics;

  private AgentWorkerApp(
      ServiceRunner runner,
      List<AsyncConsumerLoop> loops,
      List<Thread> loopThreads,
      Map<String, TaskProcessor> processors,
      OpsHttpServer http,
      ServiceMetrics metrics) {
    this.runner = runner;
    this.loops = loops;
    this.loopThreads = loopThreads;
    this.processors = processors;
    this.http = http;
    this.metrics = metrics;
  }

  public static void main(String[] args) {
    System.exit(
        ServiceRunner.runMain(
            WorkerConfig.SERVICE,
            () ->
                start(ConfigLoader.load(WorkerConfig.defaults(), System.getenv()), System.getenv())
                    .runner));
  }

  /**
   * Starts the service with its effective configuration (see {@link WorkerConfig#effective}): it
   * takes work once the control state and completed tasks are caught up.
   */
  public static AgentWorkerApp start(Map<String, String> rawConfig, Map<String, String> env) {
    ConfigLoader.requireEffective(WorkerConfig.defaults(), rawConfig);
    WorkerConfig config = WorkerConfig.fromMap(rawConfig, env, ConfigFiles.disk());
    ServiceRunner.logConfig(WorkerConfig.SERVICE, rawConfig);
    log.info("{}", config);
    return start(
        new WorkerModule(config, new DefaultKafkaClients(config.kafka()), Clock.systemUTC()));
  }

  /**
   * Starts what the module builds: the followers first, then a consumer loop per route and the ops
   * endpoints.
   */
  public static AgentWorkerApp start(WorkerModule module) {
    WorkerConfig config = module.config();
    ServiceRunner runner = module.runner();
    try {
      ServiceMetrics serviceMetrics = module.serviceMetrics();
      // what must be known before taking work: kill switches and pauses, and which tasks are
      // already done
      module.checkJournalTopics();
      // the usage and journal producer knows its topics before the first call ends: a send never
      // waits for metadata, wherever it is made from
      module.producer().partitionsFor(Topics.USAGE.name());
      if (config.journalEnabled()) {
        config.routes().forEach(r -> module.journal(r).partitionOf(""));
      }
      Map<String, TopicFollower> followers = new LinkedHashMap<>();
      followers.put("control", module.controlFollower());
      followers.putAll(module.endingFollowers());
      for (Map.Entry<String, TopicFollower> f : followers.entrySet()) {
        if (!f.getValue().awaitCaughtUp(config.startupCatchUp())) {
          throw new IllegalStateException(
              "could not read the "
                  + f.getKey()
                  + " topic within "
                  + config.startupCatchUp()
                  + (f.getValue().failure() == null ? "" : ": " + f.getValue().failure()));
        }
      }

      OpsHttpServer http =
          runner.register(
              "ops http", new OpsHttpServer(config.httpHost(), config.httpPort(), serviceMetrics));
      followers.forEach(
          (name, f) ->
              http.readiness(
                  "follower-" + name,
                  () ->
                      f.failure() == null
                          ? HealthCheck.Status.up("following")
                          : HealthCheck.Status.down("stopped: " + f.failure())));
      List<AsyncConsumerLoop> loops = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      Map<String, TaskProcessor> processors = new HashMap<>();
      for (String route : config.routes()) {
        // a stable instance id makes the route consumer a static member: a restart within the
        // session timeout gets its partitions back without a rebalance
        Map<String, Object> membership =
            config.stableInstance()
                ? Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.instanceId())
                : Map.of();
        var consumer =
            module
                .clients()
                .consumer(
                    WorkerConfig.groupOf(route),
                    membership,
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
        serviceMetrics.bind(consumer);
        // the route's endings and offsets are written in this producer's transactions; the id is
        // stable when the instance is, so a restart fences its predecessor's open transaction
        var outputs =
            module
                .clients()
                .transactionalProducer(
                    WorkerConfig.groupOf(route) + "-" + config.transactionalInstance(),
                    new ByteArraySerializer(),
                    new ByteArraySerializer());
        serviceMetrics.bind(outputs);
        TaskProcessor processor = module.processor(route);
        PollLoopHealth health = new PollLoopHealth(module.clock(), Duration.ofSeconds(60));
        AsyncConsumerLoop loop =
            new AsyncConsumerLoop(
                consumer,
                outputs,
                config.topicsOf(route),
                processor,
                config.maxInFlight(),
                config.commitInterval(),
                config.drainTimeout(),
                Duration.ofMillis(100),
                health,
                module.clock());
        loop.holdWhile(() -> module.control().routePaused(route));
        module.metrics().inFlight(route, loop::inFlight);
        http.readiness("route-" + route, health);
        Thread t =
            Thread.ofPlatform()
                .name("worker-" + route)
                .unstarted(
                    () -> {
                      loop.run();
                      if (loop.failure() != null) {
                        log.error(
                            "Route {} stopped on a failure; shutting the service down so it restarts clean",
                            route);
                        runner.fail(loop.failure(), config.kafka().principal());
                      }
                    });
        runner.register(
            "route " + route,
            () -> {
              loop.close();
              // the drain, then as long again for the calls of runs it stopped
              t.join(config.drainTimeout().multipliedBy(2).plusSeconds(15).toMillis());
            });
        loops.add(loop);
        threads.add(t);
        processors.put(route, processor);
      }
      threads.forEach(Thread::start);
      http.start();
      log.info(
          "Agent workers started on routes {}; ops HTTP on {}:{}",
          config.routes(),
          config.httpHost(),
          http.port());
      return new AgentWorkerApp(runner, loops, threads, processors, http, serviceMetrics);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runner.close();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (RuntimeException e) {
      runner.close();
      // a refusal by the cluster says what to grant, as whom
      throw AuthorizationFailures.explained(e, WorkerConfig.SERVICE, config.kafka().principal());
    }
  }

  /** Tasks in flight over all routes. */
  public int inFlight() {
    return processors.values().stream().mapToInt(TaskProcessor::inFlight).sum();
  }

  public int httpPort() {
    return http.port();
  }

  public MeterRegistry meterRegistry() {
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
