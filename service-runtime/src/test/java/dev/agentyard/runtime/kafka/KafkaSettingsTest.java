package dev.agentyard.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.runtime.config.ConfigValues;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

  private static final Map<String, String> CONFIG =
      Map.of(
          "kafka.bootstrap.servers", "broker:9092",
          "kafka.client.id", "router-service",
          "kafka.replication.factor", "1",
          "kafka.common.security.protocol", "SASL_SSL",
          "kafka.common.sasl.jaas.config",
              "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"kafka-pw-42\";",
          "kafka.producer.linger.ms", "20",
          "kafka.consumer.max.poll.records", "50",
          "schema.registry.url", "https://registry:8081",
          "registry.basic.auth.credentials.source", "USER_INFO",
          "registry.basic.auth.user.info", "sr:registry-pw-7");

  @Test
  void passesClientSettingsThroughByPrefixOverDefaults() {
    DefaultKafkaClients clients =
        new DefaultKafkaClients(KafkaSettings.fromConfig(new ConfigValues(CONFIG)));

    Map<String, Object> producer = clients.producerConfig("out");
    assertThat(producer)
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", true)
        .containsEntry("linger.ms", "20")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("bootstrap.servers", "broker:9092")
        .containsEntry("client.id", "router-service-out");
    Map<String, Object> consumer = clients.consumerConfig("router");
    assertThat(consumer)
        .containsEntry("enable.auto.commit", false)
        .containsEntry("isolation.level", "read_committed")
        .containsEntry("max.poll.records", "50")
        .containsEntry("group.id", "router");
    assertThat(clients.streamsConfig("cost-aggregator"))
        .containsEntry("processing.guarantee", "exactly_once_v2")
        .containsEntry("replication.factor", 1);
    assertThat(clients.serdeConfig())
        .containsEntry("schema.registry.url", "https://registry:8081")
        .containsEntry("basic.auth.user.info", "sr:registry-pw-7");
  }

  @Test
  void replicationFactorMinusOneTakesTheBrokersDefaultAndZeroIsRefused() {
    Map<String, String> brokerDefault = new HashMap<>(CONFIG);
    brokerDefault.put("kafka.replication.factor", "-1");
    assertThat(
            new DefaultKafkaClients(KafkaSettings.fromConfig(new ConfigValues(brokerDefault)))
                .streamsConfig("app"))
        .containsEntry("replication.factor", -1);
    brokerDefault.put("kafka.replication.factor", "0");
    Assertions.assertThatThrownBy(() -> KafkaSettings.fromConfig(new ConfigValues(brokerDefault)))
        .hasMessageContaining("kafka.replication.factor");
  }

  @Test
  void toStringHidesEverySecret() {
    String shown = KafkaSettings.fromConfig(new ConfigValues(CONFIG)).toString();
    assertThat(shown)
        .contains("broker:9092")
        .doesNotContain("kafka-pw-42")
        .doesNotContain("registry-pw-7");
  }
}
