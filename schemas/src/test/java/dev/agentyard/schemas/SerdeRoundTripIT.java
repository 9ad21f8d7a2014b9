package dev.agentyard.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentyard.schemas.serde.AvroDeserializer;
import dev.agentyard.schemas.serde.AvroSerializer;
import dev.agentyard.schemas.topics.TopicSpec;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaAndRegistryExtension.class)
class SerdeRoundTripIT {

  @Test
  void everyEventRoundTripsThroughTheBrokerAndTheRegistry(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    // given one topic per event, named as in the catalogue but unique to this run
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<SpecificRecord> events = SampleEvents.oneOfEach();
    Map<Class<?>, String> topicOf = new HashMap<>();
    for (SpecificRecord e : events) {
      topicOf.computeIfAbsent(e.getClass(), c -> "it." + run + "." + c.getSimpleName());
    }
    try (Admin admin = kafka.admin()) {
      admin
          .createTopics(topicOf.values().stream().map(t -> new NewTopic(t, 1, (short) 1)).toList())
          .all()
          .get();
    }

    // when every event is produced with our serializer and consumed with our deserializer
    Map<String, Object> serdeProps =
        Map.of("schema.registry.url", registry.url(), "specific.avro.reader", true);
    Map<String, Object> producerProps = new HashMap<>(kafka.clientProperties());
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    AvroSerializer<SpecificRecord> ser = new AvroSerializer<>();
    ser.configure(serdeProps, false);
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), ser)) {
      for (SpecificRecord e : events) {
        producer.send(new ProducerRecord<>(topicOf.get(e.getClass()), "k", e)).get();
      }
    }
    Map<String, Object> consumerProps = new HashMap<>(kafka.clientProperties());
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + run);
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    AvroDeserializer<Object> de = new AvroDeserializer<>();
    de.configure(serdeProps, false);
    List<Object> received = new ArrayList<>();
    try (KafkaConsumer<String, Object> consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), de)) {
      consumer.subscribe(List.copyOf(topicOf.values()));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (received.size() < events.size() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
      }
    }

    // then each comes back equal, as the generated class
    assertThat(received).containsExactlyInAnyOrderElementsOf(events);
  }

  @Test
  void bytesOnTheWireAreReadableWithoutOurDeserializer(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) throws Exception {
    // given a task produced with our serializer to the catalogue's task topic shape
    TopicSpec spec = Topics.TASKS;
    String topic = "it." + UUID.randomUUID().toString().substring(0, 8) + "." + spec.name();
    try (Admin admin = kafka.admin()) {
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
    }
    SpecificRecord task = SampleEvents.task("wire-1");
    AvroSerializer<SpecificRecord> ser = new AvroSerializer<>();
    ser.configure(Map.of("schema.registry.url", registry.url()), false);
    try (KafkaProducer<String, SpecificRecord> p =
        new KafkaProducer<>(kafka.clientProperties(), new StringSerializer(), ser)) {
      p.send(new ProducerRecord<>(topic, "wire-1", task)).get();
    }

    // when the raw bytes are read back and the header parsed by hand
    byte[] raw = consumeOneRaw(kafka, topic);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(raw));
    int magic = in.readByte();
    int id = in.readInt();
    String schemaJson = fetchSchemaById(registry.url(), id);
    Schema writer = new Schema.Parser().parse(schemaJson);
    GenericRecord decoded =
        new GenericDatumReader<GenericRecord>(writer)
            .read(null, DecoderFactory.get().binaryDecoder(raw, 5, raw.length - 5, null));

    // then it is the Confluent wire format, and Avro's plain generic reader decodes the same task
    assertThat(magic).isZero();
    assertThat(writer.getFullName()).isEqualTo("dev.agentyard.avro.TaskSubmitted");
    assertThat(decoded.get("taskId").toString()).isEqualTo("wire-1");
    assertThat(decoded.get("tenant").toString()).isEqualTo("acme-bank");
    assertThat(decoded.get("submittedAt")).isEqualTo(SampleEvents.T0.toEpochMilli());
    GenericRecord content =
        (GenericRecord) ((GenericRecord) decoded.get("document")).get("content");
    assertThat(content.getSchema().getName()).isEqualTo("InlineText");
  }

  static byte[] consumeOneRaw(KafkaCluster kafka, String topic) {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "raw-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          return r.value();
        }
      }
    }
    throw new AssertionError("no record on " + topic + " within 60 s");
  }

  static String fetchSchemaById(String registryUrl, int id) throws Exception {
    var http = HttpClient.newHttpClient();
    var resp =
        http.send(
            HttpRequest.newBuilder(URI.create(registryUrl + "/schemas/ids/" + id)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).isEqualTo(200);
    return new ObjectMapper().readTree(resp.body()).get("schema").asText();
  }
}
