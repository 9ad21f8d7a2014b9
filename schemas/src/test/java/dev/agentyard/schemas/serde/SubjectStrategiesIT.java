package dev.agentyard.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.schemas.SampleEvents;
import dev.agentyard.schemas.registry.SchemaRegistryClient;
import dev.agentyard.schemas.registry.SchemaRegistryClients;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(KafkaAndRegistryExtension.class)
class SubjectStrategiesIT {

  @ParameterizedTest
  @CsvSource({
    "io.confluent.kafka.serializers.subject.TopicNameStrategy, {topic}-value",
    "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy, {topic}-{record}",
    "RecordNameStrategy, {record}"
  })
  void registersUnderTheStrategysSubjectAndRoundTrips(
      String strategy, String expectedPattern, SchemaRegistryEndpoint registry) {
    // given a record type unique to this test so RecordNameStrategy subjects do not collide
    String run = "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    Schema schema =
        SchemaBuilder.record("Probe")
            .namespace("dev.agentyard.it." + run)
            .fields()
            .requiredString("id")
            .endRecord();
    String topic = "strategy." + run;
    Map<String, Object> props =
        Map.of("schema.registry.url", registry.url(), "value.subject.name.strategy", strategy);
    AvroSerializer<Object> ser = new AvroSerializer<>();
    ser.configure(props, false);
    AvroDeserializer<GenericRecord> de = new AvroDeserializer<>();
    de.configure(props, false);
    GenericData.Record record = new GenericData.Record(schema);
    record.put("id", "p-1");

    // when it is serialized and read back
    byte[] bytes = ser.serialize(topic, record);
    GenericRecord back = de.deserialize(topic, bytes);

    // then the registry holds it under the subject the strategy names
    String expected =
        expectedPattern.replace("{topic}", topic).replace("{record}", schema.getFullName());
    try (SchemaRegistryClient client = SchemaRegistryClients.create(props)) {
      assertThat(client.subjects()).contains(expected);
      assertThat(client.latestVersion(expected).id()).isEqualTo(WireFormat.schemaId(bytes));
    }
    assertThat(back.get("id").toString()).isEqualTo("p-1");
  }

  @Test
  void keySerdeUsesTheKeySubject(SchemaRegistryEndpoint registry) {
    String topic = "keys." + UUID.randomUUID().toString().substring(0, 8);
    AvroSerializer<TaskSubmitted> ser = new AvroSerializer<>();
    ser.configure(Map.of("schema.registry.url", registry.url()), true);
    byte[] bytes = ser.serialize(topic, SampleEvents.task("k-1"));
    try (SchemaRegistryClient client =
        SchemaRegistryClients.create(Map.of("schema.registry.url", registry.url()))) {
      assertThat(client.latestVersion(topic + "-key").id()).isEqualTo(WireFormat.schemaId(bytes));
    }
  }
}
