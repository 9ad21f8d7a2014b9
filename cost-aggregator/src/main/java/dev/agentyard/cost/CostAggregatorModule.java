package dev.agentyard.cost;

import dev.agentyard.avro.BudgetAlert;
import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetLedgerState;
import dev.agentyard.avro.BudgetReply;
import dev.agentyard.avro.BudgetRequest;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.RouteCostWindow;
import dev.agentyard.cost.ledger.LedgerGauges;
import dev.agentyard.cost.ledger.LedgerTopology;
import dev.agentyard.runtime.kafka.KafkaClients;
import dev.agentyard.runtime.lifecycle.ServiceModule;
import dev.agentyard.runtime.streams.DeadLetterExceptionHandler;
import dev.agentyard.schemas.topics.Topics;
import io.micrometer.core.instrument.Counter;
import java.time.Clock;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
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

  private LedgerTopology.Serdes5 ledgerSerdes() {
    return new LedgerTopology.Serdes5(
        serde(BudgetDefinition.class),
        serde(BudgetRequest.class),
        serde(BudgetReply.class),
        serde(BudgetLedgerState.class),
        serde(ModelUsage.class));
  }

  /** The budget ledger's topology (ADR 0023), its gauges on this service's registry. */
  public Topology ledgerTopology() {
    return LedgerTopology.ledger(
        ledgerSerdes(),
        config().ledger().expiryCheck(),
        new LedgerGauges(serviceMetrics().registry()));
  }

  /** The ledger's charges: usage events as CHARGE requests to their budgets. */
  public Topology chargesTopology() {
    return LedgerTopology.charges(
        ledgerSerdes(),
        config().ledger().dedupRetention(),
        Counter.builder("agentyard.budget.duplicate.usage")
            .description("Usage events the ledger saw again (same attempt id) and charged once")
            .register(serviceMetrics().registry()));
  }

  /**
   * The ledger's Kafka Streams settings: its own application id and a short commit interval (a
   * grant is visible to the worker only once committed), short fetch waits and retry backoffs (a
   * reservation is on a call's path); bad records are logged and skipped, never dead-lettered:
   * usage events are the cost aggregator's to dead-letter, and a request nobody can read is
   * answered by the worker's own timeout.
   */
  public Properties ledgerProperties() {
    Properties props = new Properties();
    props.putAll(clients().streamsConfig(config().ledger().applicationId()));
    int commit = (int) config().ledger().commitInterval().toMillis();
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commit);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config().ledger().streamThreads());
    // a request waits in the broker up to fetch.max.wait.ms when a fetch also covers partitions
    // with nothing new (500 ms by default)
    props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), commit);
    // a transaction begun right after a commit may be answered CONCURRENT_TRANSACTIONS while the
    // broker writes the previous one's markers; retried after retry.backoff.ms (100 ms by default)
    props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 5);
    props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), 50);
    skipBadRecords(props);
    return props;
  }

  /** The charges application's settings: its own id, the ordinary commit interval. */
  public Properties chargesProperties() {
    Properties props = new Properties();
    props.putAll(clients().streamsConfig(config().ledger().applicationId() + "-charges"));
    skipBadRecords(props);
    return props;
  }

  private static void skipBadRecords(Properties props) {
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterExceptionHandler.class);
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
    props.put(DeadLetterExceptionHandler.SOURCE_TOPIC_CONFIG, "(none: the ledger skips)");
    props.put(DeadLetterExceptionHandler.SOURCE_TOPIC_ONLY_CONFIG, "true");
    props.put(DeadLetterExceptionHandler.SERVICE_CONFIG, "budget-ledger");
  }

  /** The HTTP query API over the running application's stores. */
  CostQueryApi queryApi(KafkaStreams streams, HostInfo self) {
    return new CostQueryApi(streams, config(), self, clock());
  }
}
