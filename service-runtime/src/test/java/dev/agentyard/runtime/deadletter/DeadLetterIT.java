package dev.agentyard.runtime.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.runtime.config.ConfigValues;
import dev.agentyard.runtime.kafka.DefaultKafkaClients;
import dev.agentyard.runtime.kafka.KafkaSettings;
import dev.agentyard.schemas.topics.TopicProvisioner;
import dev.agentyard.schemas.topics.TopicSpec;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A poison pill goes through a real broker to its dead-letter topic, bytes untouched, reason
 * attached.
 */
@ExtendWith(KafkaAndRegistryExtension.class)
class DeadLetterIT {

  @Test
  void poisonPillLandsOnTheDeadLetterTopicUntouched(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    // given the runtime's clients, built from config exactly as a service builds them
    DefaultKafkaClients clients =
        new DefaultKafkaClients(
            KafkaSettings.fromConfig(
                new ConfigValues(
                    Map.of(
                        "kafka.bootstrap.servers",
                        kafka.bootstrapServers(),
                        "kafka.client.id",
                        "dlq-it",
                        "kafka.replication.factor",
                        "1",
                        "schema.registry.url",
                        registry.url()))));
    String route = "it" + UUID.randomUUID().toString().substring(0, 6);
    TopicSpec source = Topics.route(route).withPartitions(2);
    try (Admin admin = clients.admin()) {
      new TopicProvisioner(admin, (short) 1)
          .apply(List.of(source, Topics.deadLetter(source)), false);
    }
    byte[] poison = {42, 1, 2, 3};
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        "traceparent",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));
    try (Producer<byte[], byte[]> p =
        clients.producer("it", new ByteArraySerializer(), new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(source.name(), 1, "t-1".getBytes(), poison, headers)).get();
    }

    // when a consumer cannot decode it and dead-letters it
    try (Consumer<byte[], byte[]> c =
            clients.consumer(
                "g-" + route, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Producer<byte[], byte[]> dlqProducer =
            clients.producer("dlq", new ByteArraySerializer(), new ByteArraySerializer())) {
      c.subscribe(List.of(source.name()));
      ConsumerRecord<byte[], byte[]> failed = pollOne(c);
      dlqProducer
          .send(
              new DeadLetterRecords("dlq-it", Clock.systemUTC())
                  .toDeadLetter(
                      failed,
                      new SerializationException("Unknown magic byte 0x2a"),
                      DeadLetterContext.of(
                          DeadLetterReason.DESERIALIZATION_FAILED, "deserialize", "g-" + route)))
          .get();
    }

    // then the dead letter is the original record plus the reason
    try (Consumer<byte[], byte[]> c =
        clients.consumer(
            "read-" + route, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(source.name() + ".dlq"));
      ConsumerRecord<byte[], byte[]> dlq = pollOne(c);
      assertThat(dlq.partition()).isEqualTo(1);
      assertThat(dlq.key()).isEqualTo("t-1".getBytes());
      assertThat(dlq.value()).isEqualTo(poison);
      assertThat(new String(dlq.headers().lastHeader("agentyard.dlq.reason").value()))
          .isEqualTo("DESERIALIZATION_FAILED");
      assertThat(new String(dlq.headers().lastHeader("__connect.errors.exception.message").value()))
          .isEqualTo("Unknown magic byte 0x2a");
      assertThat(new String(dlq.headers().lastHeader("agentyard.dlq.trace.id").value()))
          .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }
  }

  private static ConsumerRecord<byte[], byte[]> pollOne(Consumer<byte[], byte[]> c) {
    List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (got.isEmpty() && System.nanoTime() < deadline) {
      c.poll(Duration.ofMillis(200)).forEach(got::add);
    }
    assertThat(got).as("a record within 60 s").isNotEmpty();
    return got.get(0);
  }
}
