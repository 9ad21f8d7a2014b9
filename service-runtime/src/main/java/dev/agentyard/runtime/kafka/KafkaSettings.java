package dev.agentyard.runtime.kafka;

import dev.agentyard.runtime.config.ConfigValues;
import dev.agentyard.runtime.config.InvalidConfigException;
import dev.agentyard.runtime.config.Secrets;
import dev.agentyard.runtime.errors.AuthorizationFailures;
import java.util.HashMap;
import java.util.Map;

/**
 * How a service reaches Kafka and the schema registry. Client settings pass through untouched by
 * prefix: {@code kafka.common.*} to every client (security, SASL), {@code kafka.producer.*}, {@code
 * kafka.consumer.*}, {@code kafka.admin.*}, {@code kafka.streams.*} to each kind. Registry settings
 * are Confluent's keys under {@code schema.registry.*} plus {@code registry.*} for the rest ({@code
 * registry.basic.auth.user.info} to {@code basic.auth.user.info}).
 *
 * @param bootstrapServers {@code kafka.bootstrap.servers}
 * @param clientId {@code kafka.client.id}
 * @param replicationFactor {@code kafka.replication.factor} for topics and internal topics the
 *     service creates; -1 takes the broker's {@code default.replication.factor} (KIP-464)
 */
public record KafkaSettings(
    String bootstrapServers,
    String clientId,
    short replicationFactor,
    Map<String, Object> common,
    Map<String, Object> producer,
    Map<String, Object> consumer,
    Map<String, Object> admin,
    Map<String, Object> streams,
    Map<String, Object> registry) {

  public static final String BOOTSTRAP = "kafka.bootstrap.servers";
  public static final String CLIENT_ID = "kafka.client.id";
  public static final String REPLICATION_FACTOR = "kafka.replication.factor";
  public static final String REGISTRY_URL = "schema.registry.url";

  public KafkaSettings {
    common = Map.copyOf(common);
    producer = Map.copyOf(producer);
    consumer = Map.copyOf(consumer);
    admin = Map.copyOf(admin);
    streams = Map.copyOf(streams);
    registry = Map.copyOf(registry);
  }

  /** Reads the settings, failing with the name of a missing or bad key. */
  public static KafkaSettings fromConfig(ConfigValues c) {
    Map<String, Object> registry = new HashMap<>(c.withPrefix("registry."));
    registry.putAll(prefixed(c.withPrefix("schema.registry."), "schema.registry."));
    registry.put(REGISTRY_URL, c.required(REGISTRY_URL));
    return new KafkaSettings(
        c.required(BOOTSTRAP),
        c.required(CLIENT_ID),
        replicationFactor(c),
        c.withPrefix("kafka.common."),
        c.withPrefix("kafka.producer."),
        c.withPrefix("kafka.consumer."),
        c.withPrefix("kafka.admin."),
        c.withPrefix("kafka.streams."),
        registry);
  }

  /**
   * Who the service connects as: {@code User:<name>} from the SASL login in {@code
   * kafka.common.sasl.jaas.config} (or the consumer's), else a description for messages.
   */
  public String principal() {
    Object jaas = common.getOrDefault("sasl.jaas.config", consumer.get("sasl.jaas.config"));
    return AuthorizationFailures.principal(jaas)
        .orElse("its principal (no SASL login in kafka.common.sasl.jaas.config)");
  }

  private static short replicationFactor(ConfigValues c) {
    int rf = c.intValue(REPLICATION_FACTOR, -1, Short.MAX_VALUE);
    if (rf == 0) {
      throw new InvalidConfigException(
          REPLICATION_FACTOR, "must be -1 (the broker's default) or at least 1");
    }
    return (short) rf;
  }

  private static Map<String, Object> prefixed(Map<String, Object> m, String prefix) {
    Map<String, Object> out = new HashMap<>();
    m.forEach((k, v) -> out.put(prefix + k, v));
    return out;
  }

  @Override
  public String toString() {
    return "KafkaSettings{bootstrapServers="
        + bootstrapServers
        + ", clientId="
        + clientId
        + ", replicationFactor="
        + replicationFactor
        + ", common="
        + Secrets.mask(common)
        + ", producer="
        + Secrets.mask(producer)
        + ", consumer="
        + Secrets.mask(consumer)
        + ", admin="
        + Secrets.mask(admin)
        + ", streams="
        + Secrets.mask(streams)
        + ", registry="
        + Secrets.mask(registry)
        + "}";
  }
}
