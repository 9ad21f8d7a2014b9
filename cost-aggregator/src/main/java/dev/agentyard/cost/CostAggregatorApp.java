package dev.agentyard.cost;

import dev.agentyard.cost.ledger.LedgerQueryApi;
import dev.agentyard.runtime.config.ConfigFiles;
import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.runtime.http.HealthCheck;
import dev.agentyard.runtime.http.OpsHttpServer;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.runtime.lifecycle.ServiceRunner;
import dev.agentyard.runtime.metrics.ServiceMetrics;
import dev.agentyard.runtime.streams.StreamsLifecycle;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cost aggregator service: reads config, then runs what {@link CostAggregatorModule} builds —
 * the topology on Kafka Streams and the query API.
 */
public final class CostAggregatorApp {

  private static final Logger log = LoggerFactory.getLogger(CostAggregatorApp.class);

  private CostAggregatorApp() {}

  public static void main(String[] args) {
    System.exit(
        ServiceRunner.runMain(
            CostAggregatorConfig.SERVICE,
            () -> start(ConfigLoader.load(CostAggregatorConfig.defaults(), System.getenv()))));
  }

  /**
   * Starts the service with its effective configuration (see {@link
   * CostAggregatorConfig#effective}); the returned runner stops it.
   */
  public static ServiceRunner start(Map<String, String> rawConfig) {
    ConfigLoader.requireEffective(CostAggregatorConfig.defaults(), rawConfig);
    CostAggregatorConfig config = CostAggregatorConfig.fromMap(rawConfig, ConfigFiles.disk());
    ServiceRunner.logConfig(CostAggregatorConfig.SERVICE, rawConfig);
    return start(
        new CostAggregatorModule(
            config, new DefaultKafkaClients(config.kafka()), Clock.systemUTC()));
  }

  /**
   * Starts what the module builds: the topology on Kafka Streams, the query API and the ops
   * endpoints.
   */
  public static ServiceRunner start(CostAggregatorModule module) {
    CostAggregatorConfig config = module.config();
    ServiceRunner runner = module.runner();
    try {
      ServiceMetrics metrics = module.serviceMetrics();
      Topology topology = module.topology();
      log.info("Topology:\n{}", topology.describe());

      OpsHttpServer http =
          runner.register(
              "ops http", new OpsHttpServer(config.httpHost(), config.httpPort(), metrics));
      HostInfo self = new HostInfo(config.advertisedHost(), http.port());
      KafkaStreams streams =
          attached(
              new KafkaStreams(topology, module.streamsProperties(self)),
              CostAggregatorConfig.SERVICE,
              "kafka-streams",
              runner,
              metrics,
              http,
              config.kafka().principal());
      http.route("/cost/", module.queryApi(streams, self));
      if (config.ledger().enabled()) {
        KafkaStreams ledger =
            attached(
                new KafkaStreams(module.ledgerTopology(), module.ledgerProperties()),
                "budget-ledger",
                "budget-ledger",
                runner,
                metrics,
                http,
                config.kafka().principal());
        http.route("/budgets", new LedgerQueryApi(ledger));
        KafkaStreams charges =
            attached(
                new KafkaStreams(module.chargesTopology(), module.chargesProperties()),
                "budget-ledger-charges",
                "budget-ledger-charges",
                runner,
                metrics,
                http,
                config.kafka().principal());
        ledger.start();
        charges.start();
        log.info("Budget ledger started ({})", config.ledger().applicationId());
      }
      streams.start();
      http.start();
      log.info(
          "Cost aggregator started: query API and metrics on {}:{}",
          config.httpHost(),
          http.port());
      return runner;
    } catch (RuntimeException e) {
      runner.close();
      throw e;
    }
  }

  /**
   * A Streams application of this service: stopped with it (and stopping it when it fails), its
   * metrics bound, its state a readiness check.
   */
  private static KafkaStreams attached(
      KafkaStreams streams,
      String name,
      String check,
      ServiceRunner runner,
      ServiceMetrics metrics,
      OpsHttpServer http,
      String principal) {
    StreamsLifecycle.attach(streams, runner, metrics.registry(), name, principal);
    http.readiness(
        check,
        () ->
            streams.state() == KafkaStreams.State.RUNNING
                ? HealthCheck.Status.up("RUNNING")
                : HealthCheck.Status.down(streams.state().name()));
    return streams;
  }
}
