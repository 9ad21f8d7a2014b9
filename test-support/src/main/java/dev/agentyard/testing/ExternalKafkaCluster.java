package dev.agentyard.testing;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * A cluster someone else runs, given by {@code AGENTYARD_TEST_BOOTSTRAP}. Extra client settings
 * (security) come from {@code AGENTYARD_TEST_KAFKA_*} variables: {@code
 * AGENTYARD_TEST_KAFKA_SECURITY_PROTOCOL} becomes {@code security.protocol}.
 */
public final class ExternalKafkaCluster implements KafkaCluster {

  private final String bootstrap;
  private final Map<String, Object> extra;

  public ExternalKafkaCluster(String bootstrap, Map<String, String> env) {
    this.bootstrap = bootstrap;
    this.extra =
        env.entrySet().stream()
            .filter(
                e ->
                    e.getKey().startsWith("AGENTYARD_TEST_KAFKA_")
                        && !e.getKey().equals("AGENTYARD_TEST_KAFKA_IMAGE"))
            .collect(
                Collectors.toMap(
                    e ->
                        e.getKey()
                            .substring("AGENTYARD_TEST_KAFKA_".length())
                            .toLowerCase(Locale.ROOT)
                            .replace('_', '.'),
                    Map.Entry::getValue));
  }

  @Override
  public String bootstrapServers() {
    return bootstrap;
  }

  @Override
  public Map<String, Object> clientProperties() {
    Map<String, Object> props = new HashMap<>(extra);
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return props;
  }

  @Override
  public String kind() {
    return "external";
  }

  @Override
  public Set<Integer> brokerIds() {
    try (var admin = admin()) {
      return admin.describeCluster().nodes().get().stream()
          .map(n -> n.id())
          .collect(Collectors.toSet());
    } catch (Exception e) {
      throw new IllegalStateException("Cannot describe external cluster " + bootstrap, e);
    }
  }

  @Override
  public void close() {
    // not ours to stop
  }
}
