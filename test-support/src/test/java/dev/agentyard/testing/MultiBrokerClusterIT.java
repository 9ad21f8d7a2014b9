package dev.agentyard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fault-test cluster: 1 controller + 3 brokers, replication 3, min ISR 2, brokers can be
 * stopped.
 */
@ExtendWith(KafkaAndRegistryExtension.class)
@OwnCluster(brokers = 3)
class MultiBrokerClusterIT {

  @Test
  void keepsAcceptingAcksAllWritesWithOneBrokerDown(KafkaCluster kafka) throws Exception {
    assertThat(kafka.brokerIds()).hasSize(3);
    try (Admin admin = kafka.admin()) {
      admin.createTopics(List.of(new NewTopic("replicated", 3, (short) 3))).all().get();
    }
    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    int victim = kafka.brokerIds().iterator().next();
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      p.send(new ProducerRecord<>("replicated", "k", "before")).get();

      kafka.stopBroker(victim);
      for (int i = 0; i < 10; i++) {
        p.send(new ProducerRecord<>("replicated", "k" + i, "during")).get();
      }

      kafka.startBroker(victim);
      try (Admin admin = kafka.admin()) {
        // the restarted broker catches up and rejoins every ISR
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> {
                  TopicDescription d =
                      admin
                          .describeTopics(List.of("replicated"))
                          .allTopicNames()
                          .get()
                          .get("replicated");
                  assertThat(d.partitions()).allSatisfy(pi -> assertThat(pi.isr()).hasSize(3));
                });
      }
      p.send(new ProducerRecord<>("replicated", "k", "after")).get();
    }
  }
}
