package dev.agentyard.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack's infrastructure keeps its data across restarts, as the README promises. */
class LocalInfraIT {

  @TempDir Path data;

  @Test
  void theBrokerIsFormattedOnceAndKeepsItsRecordsAcrossARestart() throws Exception {
    LocalKafkaBroker.Options options =
        new LocalKafkaBroker.Options(data.resolve("kafka"), Ports.pick(), Ports.pick(), Map.of());
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(options)) {
      assertThat(Files.readString(data.resolve("kafka/meta.properties"))).contains("node.id=1");
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
      }
      try (KafkaProducer<String, String> p =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", broker.bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        p.send(new ProducerRecord<>("kept", "k", "still here")).get();
      }
    }
    String clusterId =
        Files.readAllLines(data.resolve("kafka/meta.properties")).stream()
            .filter(l -> l.startsWith("cluster.id="))
            .findFirst()
            .orElseThrow();

    // the ports are free again after a clean stop, and a second start reuses the formatted storage
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(options);
        KafkaConsumer<String, String> c =
            new KafkaConsumer<>(
                Map.of(
                    "bootstrap.servers",
                    broker.bootstrapServers(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
      assertThat(Files.readAllLines(data.resolve("kafka/meta.properties"))).contains(clusterId);
      c.assign(Set.of(new TopicPartition("kept", 0)));
      c.seekToBeginning(Set.of(new TopicPartition("kept", 0)));
      ConsumerRecord<String, String> r = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (r == null && System.nanoTime() < deadline) {
        var polled = c.poll(Duration.ofMillis(500));
        r = polled.isEmpty() ? null : polled.iterator().next();
      }
      assertThat(r).isNotNull();
      assertThat(r.value()).isEqualTo("still here");
    }
  }

  @Test
  void aBrokerOnAPortInUseIsRefusedWithAClearMessage() throws Exception {
    int port = Ports.pick();
    try (var busy = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      var options =
          new LocalKafkaBroker.Options(data.resolve("kafka"), port, Ports.pick(), Map.of());
      Assertions.assertThatThrownBy(() -> LocalKafkaBroker.start(options))
          .hasMessageContaining("port " + port)
          .hasMessageContaining("already running");
    }
  }

  @Test
  void theRegistryInADatabaseFileKeepsItsSchemaIdsAcrossARestart() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String schema =
        "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Kept\\\",\\\"fields\\\":[{\\\"name\\\":\\\"a\\\",\\\"type\\\":\\\"string\\\"}]}\"}";
    ApicurioRegistry.Options options =
        new ApicurioRegistry.Options(
            Ports.pick(), data.resolve("registry"), data.resolve("registry.log"));
    String id;
    try (ApicurioRegistry registry = ApicurioRegistry.start(options)) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(registry.url() + "/subjects/kept-value/versions"))
                  .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                  .POST(HttpRequest.BodyPublishers.ofString(schema))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      id = r.body();
    }
    try (ApicurioRegistry registry = ApicurioRegistry.start(options)) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(registry.url() + "/subjects/kept-value"))
                  .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                  .POST(HttpRequest.BodyPublishers.ofString(schema))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains(id.replaceAll("[{}]", ""));
      HttpResponse<String> config =
          http.send(
              HttpRequest.newBuilder(URI.create(registry.url() + "/config")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(config.body()).contains("BACKWARD");
    }
  }
}
