package dev.agentyard.router;

import dev.agentyard.avro.ControlAction;
import dev.agentyard.avro.ControlScope;
import dev.agentyard.router.classify.DocumentClassifier;
import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.runtime.control.ControlState;
import dev.agentyard.runtime.http.HealthCheck;
import dev.agentyard.runtime.http.OpsHttpServer;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.runtime.kafka.TopicFollower;
import dev.agentyard.runtime.lifecycle.ServiceRunner;
import dev.agentyard.runtime.metrics.ServiceMetrics;
import dev.agentyard.runtime.streams.StreamsLifecycle;
import dev.agentyard.schemas.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router service: reads config, then starts what {@link RouterModule} builds — the control
 * follower, the routing topology on Kafka Streams (exactly-once v2) and the ops HTTP endpoints. A
 * global PAUSE or KILL on {@code agent.control.v1} pauses the topology: nothing is routed and
 * nothing is lost; the tasks wait in {@code agent.tasks.v1} until it is lifted.
 */
public final class RouterApp {

  private static final Logger log = LoggerFactory.getLogger(RouterApp.class);

  private RouterApp() {}

  public static void main(String[] args) {
    System.exit(
        ServiceRunner.runMain(
            RouterConfig.SERVICE,
            () -> start(ConfigLoader.load(RouterConfig.defaults(), System.getenv())).runner()));
  }

  /** Waits until a follower has read its topic as it was at start; fails start-up otherwise. */
  private static void awaitCaughtUp(TopicFollower follower, String topic, Duration within)
      throws InterruptedException {
    if (!follower.awaitCaughtUp(within)) {
      throw new IllegalStateException(
          "could not read "
              + topic
              + " within "
              + within
              + (follower.failure() == null ? "" : ": " + follower.failure()));
    }
  }

  /** A running router; closing it stops the service. */
  public record Running(ServiceRunner runner, KafkaStreams streams, ServiceMetrics metrics)
      implements AutoCloseable {
    @Override
    public void close() {
      runner.close();
    }
  }

  /** Starts the router with its effective configuration (see {@link RouterConfig#effective}). */
  public static Running start(Map<String, String> rawConfig) {
    ConfigLoader.requireEffective(RouterConfig.defaults(), rawConfig);
    RouterConfig config = RouterConfig.fromMap(rawConfig);
    ServiceRunner.logConfig(RouterConfig.SERVICE, rawConfig);
    log.info("{}", config);
    return start(
        new RouterModule(config, new DefaultKafkaClients(config.kafka()), Clock.systemUTC()));
  }

  /**
   * Starts what the module builds: the control follower first, then the topology and the ops
   * endpoints.
   */
  public static Running start(RouterModule module) {
    RouterConfig config = module.config();
    ServiceRunner runner = module.runner();
    try {
      ServiceMetrics serviceMetrics = module.serviceMetrics();
      int taskPartitions = module.coPartitionedTaskPartitions();
      DocumentClassifier classifier = module.classifier();
      if (module.followsRegistry()) {
        awaitCaughtUp(
            module.registryFollower(), Topics.CLASSIFIER_MODELS.name(), config.startupCatchUp());
        classifier = module.activeClassifier().get();
      }
      ControlState control = module.control();
      TopicFollower controlFollower = module.controlFollower();
      awaitCaughtUp(controlFollower, Topics.CONTROL.name(), config.startupCatchUp());

      Topology topology = module.topology(taskPartitions);
      log.info("Topology:\n{}", topology.describe());
      KafkaStreams streams = new KafkaStreams(topology, module.streamsProperties(taskPartitions));
      StreamsLifecycle.attach(
          streams,
          runner,
          serviceMetrics.registry(),
          RouterConfig.SERVICE,
          config.kafka().principal());

      ScheduledExecutorService scheduler =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().name("router-control").daemon().factory());
      runner.register("control scheduler", scheduler::shutdownNow);
      Runnable applyGlobal =
          () -> {
            var stop =
                control
                    .active(ControlScope.GLOBAL, "*")
                    .filter(
                        c ->
                            c.getAction() == ControlAction.PAUSE
                                || c.getAction() == ControlAction.KILL);
            if (stop.isPresent() && !streams.isPaused()) {
              log.warn(
                  "Global {} by {} ({}): routing paused; tasks wait in {}",
                  stop.get().getAction(),
                  stop.get().getIssuedBy(),
                  stop.get().getReason(),
                  Topics.TASKS.name());
              streams.pause();
            } else if (stop.isEmpty() && streams.isPaused()) {
              log.info("Global stop lifted: routing resumes");
              streams.resume();
            }
          };
      applyGlobal.run(); // before start: a stop in force at start-up routes nothing
      scheduler.scheduleWithFixedDelay(
          () -> {
            try {
              applyGlobal.run();
            } catch (RuntimeException e) {
              log.warn("Could not apply the global control state", e);
            }
          },
          config.controlPollInterval().toMillis(),
          config.controlPollInterval().toMillis(),
          TimeUnit.MILLISECONDS);

      OpsHttpServer ops =
          runner.register(
              "ops http", new OpsHttpServer(config.httpHost(), config.httpPort(), serviceMetrics));
      ops.readiness(
          "kafka-streams",
          () ->
              streams.state() == KafkaStreams.State.RUNNING
                  ? HealthCheck.Status.up(
                      streams.isPaused() ? "RUNNING (paused by a global stop)" : "RUNNING")
                  : HealthCheck.Status.down(streams.state().name()));
      ops.readiness(
          "follower-control",
          () ->
              controlFollower.failure() == null
                  ? HealthCheck.Status.up("following")
                  : HealthCheck.Status.down("stopped: " + controlFollower.failure()));
      streams.start();
      ops.start();
      log.info(
          "Router started: classifier {}, routes {}, ops HTTP on {}:{}",
          classifier.version(),
          config.routes().byName().keySet(),
          config.httpHost(),
          ops.port());
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
}
