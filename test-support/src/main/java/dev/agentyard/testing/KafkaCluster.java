package dev.agentyard.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;

/**
 * A real Kafka cluster for integration tests: in-JVM KRaft, a Testcontainers broker, or an external
 * one.
 */
public interface KafkaCluster extends AutoCloseable {

  /** {@code bootstrap.servers} for clients. */
  String bootstrapServers();

  /** Client properties to connect (bootstrap, plus security settings for an external cluster). */
  default Map<String, Object> clientProperties() {
    Map<String, Object> props = new HashMap<>();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return props;
  }

  /** A new admin client; the caller closes it. */
  default Admin admin() {
    return Admin.create(clientProperties());
  }

  /** Where the cluster comes from: embedded, container or external. */
  String kind();

  /** Ids of the brokers (not controllers). */
  Set<Integer> brokerIds();

  /** Stops one broker, as a crash-free shutdown; only for embedded multi-broker clusters. */
  default void stopBroker(int id) {
    throw new UnsupportedOperationException(kind() + " cluster cannot stop brokers");
  }

  /** Starts a broker stopped with {@link #stopBroker}; only for embedded multi-broker clusters. */
  default void startBroker(int id) {
    throw new UnsupportedOperationException(kind() + " cluster cannot start brokers");
  }

  @Override
  void close();
}
