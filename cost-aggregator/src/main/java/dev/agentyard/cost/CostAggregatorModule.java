package dev.agentyard.cost;

import dev.agentyard.avro.BudgetAlert;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.RouteCostWindow;
import dev.agentyard.runtime.kafka.KafkaClients;
import dev.agentyard.runtime.lifecycle.ServiceRunner;
import dev.agentyard.runtime.metrics.ServiceMetrics;
import dev.agentyard.runtime.streams.DeadLetterExceptionHandler;
import dev.agentyard.schemas.registry.SchemaRegistryClient;
import dev.agentyard.schemas.registry.SchemaRegistryClients;
import dev.agentyard.schemas.serde.AvroSerde;
import dev.agentyard.schemas.topics.Topics;
import java.time.Clock;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;

/**
 * How the cost aggregator is assembled, in one place (the shape of Parallel Consumer's {@code
 * PCModule}): each part is built on first use from the config, a {@link KafkaClients} and a {@link
 * Clock}; what holds a resource is registered with the module's {@link ServiceRunner}, which closes
 * everything in reverse order. {@link CostAggregatorApp} starts what this builds.
 */
public class CostAggregatorModule implements AutoCloseable {

  private final CostAggregatorConfig config;
  private final KafkaClients clients;
  private final Clock clock;
  private final ServiceRunner runner = new ServiceRunner(CostAggregatorConfig.SERVICE);

  private ServiceMetrics serviceMetrics;
  private SchemaRegistryClient registry;

  public CostAggregatorModule(CostAggregatorConfig config, KafkaClients clients, Clock clock) {
    this.config = config;
    this.clients = clients;
    this.clock = clock;
  }

  public CostAggregatorConfig config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }

  /** What closes everything this module built. */
  public ServiceRunner runner() {
    return runner;
  }

  public synchronized ServiceMetrics serviceMetrics() {
    if (serviceMetrics == null) {
      serviceMetrics = runner.register("metrics", new ServiceMetrics(CostAggregatorConfig.SERVICE));
    }
    return serviceMetrics;
  }

  public synchronized SchemaRegistryClient registry() {
    if (registry == null) {
      registry =
          runner.register(
              "schema registry client", SchemaRegistryClients.create(clients.serdeConfig()));
    }
    return registry;
  }

  /** An Avro serde of the registry, configured with the service's registry settings. */
  public <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
    return AvroSerde.specific(type, registry(), clients.serdeConfig());
  }

  /** The aggregation topology (a pure function of the config, see {@link CostTopology}). */
  public Topology topology() {
    return CostTopology.build(
        config,
        new CostTopology.Serdes4(
            serde(ModelUsage.class),
            serde(RouteCostWindow.class),
            serde(BudgetAlert.class),
            serde(ControlCommand.class)),
        new CostMetrics(serviceMetrics().registry()));
  }

  /**
   * Kafka Streams settings: the service's client settings, the query API's address, the dead-letter
   * handlers.
   */
  public Properties streamsProperties(HostInfo self) {
    Properties props = new Properties();
    props.putAll(clients.streamsConfig(config.applicationId()));
    props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterExceptionHandler.class);
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
    props.put(DeadLetterExceptionHandler.SOURCE_TOPIC_CONFIG, Topics.USAGE.name());
    props.put(DeadLetterExceptionHandler.SERVICE_CONFIG, CostAggregatorConfig.SERVICE);
    return props;
  }

  /** The HTTP query API over the running application's stores. */
  CostQueryApi queryApi(KafkaStreams streams, HostInfo self) {
    return new CostQueryApi(streams, config, self, clock);
  }

  @Override
  public void close() {
    runner.close();
  }
}
