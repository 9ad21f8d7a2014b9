package dev.agentyard.cost;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.schemas.topics.TopicProvisioner;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import dev.agentyard.testing.StandaloneStart;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cost aggregator on a fresh cluster with nothing configured but a bootstrap address and a
 * registry URL (its main's path: bundled defaults, then the environment) reaches ready on its
 * default port.
 */
@ExtendWith(KafkaAndRegistryExtension.class)
class CostAggregatorStartsOnItsOwnIT {

  @Test
  void startsWithOnlyABootstrapAddressAndARegistryUrlAndReachesReady(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    // given the catalogue's topics, as a deployment provisions them before the services start
    try (Admin admin = kafka.admin()) {
      new TopicProvisioner(admin, (short) 1).apply(Topics.catalogue(Topics.DEFAULT_ROUTES), false);
    }
    Map<String, String> env = StandaloneStart.environment(kafka, registry);

    // when it starts with the configuration its main would load
    Map<String, String> config = ConfigLoader.load(CostAggregatorConfig.defaults(), env);
    try (var running = CostAggregatorApp.start(config)) {

      // then it is ready on its default port
      assertThat(StandaloneStart.awaitReady(8085, Duration.ofSeconds(120))).contains("UP");
    }
  }
}
