package dev.agentyard.cost;

import dev.agentyard.avro.BudgetAlert;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.RouteCostWindow;
import dev.agentyard.runtime.streams.DeadLetterExceptionHandler;
import dev.agentyard.runtime.streams.StreamsLifecycle;
import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.runtime.http.HealthCheck;
import dev.agentyard.runtime.http.OpsHttpServer;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.runtime.lifecycle.ServiceRunner;
import dev.agentyard.runtime.metrics.ServiceMetrics;
import dev.agentyard.schemas.registry.SchemaRegistryClient;
import dev.agentyard.schemas.registry.SchemaRegistryClients;
import dev.agentyard.schemas.serde.AvroSerde;
import dev.agentyard.schemas.topics.Topics;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The cost aggregator service: reads config, builds the topology, runs Kafka Streams and the query API. */
public final class CostAggregatorApp {

  private static final Logger log = LoggerFactory.getLogger(CostAggregatorApp.class);

  private CostAggregatorApp() {}

  public static void main(String[] args) {
    System.exit(ServiceRunner.runMain(CostAggregatorConfig.SERVICE, () -> start(ConfigLoader.load(CostAggregatorConfig.defaults(), System.getenv()))));
  }

  /** Starts the service with its effective configuration (see {@link CostAggregatorConfig#effective}); the returned runner stops it. */
  public static ServiceRunner start(Map<String, String> rawConfig) {
    CostAggregatorConfig config = CostAggregatorConfig.fromMap(rawConfig);
    ServiceRunner.logConfig(CostAggregatorConfig.SERVICE, rawConfig);
    ServiceRunner runner = new ServiceRunner(CostAggregatorConfig.SERVICE);
    try {
      ServiceMetrics metrics = runner.register("metrics", new ServiceMetrics(CostAggregatorConfig.SERVICE));
      DefaultKafkaClients clients = new DefaultKafkaClients(config.kafka());
      SchemaRegistryClient registry = runner.register("schema registry client", SchemaRegistryClients.create(clients.serdeConfig()));
      Topology topology = CostTopology.build(config, new CostTopology.Serdes4(
          AvroSerde.specific(ModelUsage.class, registry, clients.serdeConfig()), AvroSerde.specific(RouteCostWindow.class, registry, clients.serdeConfig()),
          AvroSerde.specific(BudgetAlert.class, registry, clients.serdeConfig()), AvroSerde.specific(ControlCommand.class, registry, clients.serdeConfig())),
          new CostMetrics(metrics.registry()));
      log.info("Topology:\n{}", topology.describe());

      OpsHttpServer http = new OpsHttpServer(config.httpHost(), config.httpPort(), metrics::scrape);
      runner.register("ops http", http);
      HostInfo self = new HostInfo(config.advertisedHost(), http.port());

      Properties props = new Properties();
      props.putAll(clients.streamsConfig(config.applicationId()));
      props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
      props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
      props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
      props.put(DeadLetterExceptionHandler.SOURCE_TOPIC_CONFIG, Topics.USAGE.name());
      props.put(DeadLetterExceptionHandler.SERVICE_CONFIG, CostAggregatorConfig.SERVICE);
      KafkaStreams streams = new KafkaStreams(topology, props);
      StreamsLifecycle.attach(streams, runner, metrics.registry(), CostAggregatorConfig.SERVICE);

      http.readiness("kafka-streams", () -> streams.state() == KafkaStreams.State.RUNNING
          ? HealthCheck.Status.up("RUNNING") : HealthCheck.Status.down(streams.state().name()));
      http.route("/cost/", new CostQueryApi(streams, config, self, Clock.systemUTC()));
      streams.start();
      http.start();
      log.info("Cost aggregator started: query API and metrics on {}:{}", config.httpHost(), http.port());
      return runner;
    } catch (RuntimeException e) {
      runner.close();
      throw e;
    }
  }
}
