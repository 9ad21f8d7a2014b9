package dev.agentyard.cost;

import dev.agentyard.avro.BudgetAlert;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.RouteCostWindow;
import dev.agentyard.runtime.kafka.KafkaClients;
import dev.agentyard.runtime.lifecycle.ServiceModule;
import dev.agentyard.runtime.streams.DeadLetterExceptionHandler;
import dev.agentyard.schemas.topics.Topics;
import java.time.Clock;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;

/**
 * How the cost aggregator is assembled, in one place: its parts on top of {@link ServiceModule}'s
 * config, clients, clock and runner. {@link CostAggregatorApp} starts what this builds.
 */
public class CostAggregatorModule extends ServiceModule<CostAggregatorConfig> {

  public CostAggregatorModule(CostAggregatorConfig config, KafkaClients clients, Clock clock) {
    super(CostAggregatorConfig.SERVICE, config, clients, clock);
  }

  /** The aggregation topology (a pure function of the config, see {@link CostTopology}). */
  public Topology topology() {
    return CostTopology.build(
        config(),
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
    props.putAll(clients().streamsConfig(config().applicationId()));
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
    return new CostQueryApi(streams, config(), self, clock());
  }
}
