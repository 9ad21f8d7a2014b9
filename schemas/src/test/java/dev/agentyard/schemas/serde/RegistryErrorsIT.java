package dev.agentyard.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentyard.schemas.SampleEvents;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every error case of the serde, against a real registry. */
@ExtendWith(KafkaAndRegistryExtension.class)
class RegistryErrorsIT {

  private static String topic() {
    return "errors." + UUID.randomUUID().toString().substring(0, 8);
  }

  private static <T> AvroSerializer<T> serializer(Map<String, Object> props) {
    AvroSerializer<T> s = new AvroSerializer<>();
    s.configure(props, false);
    return s;
  }

  private static <T> AvroDeserializer<T> deserializer(Map<String, Object> props) {
    AvroDeserializer<T> d = new AvroDeserializer<>();
    d.configure(props, false);
    return d;
  }

  @Test
  void unknownSchemaIdIs40403NamingTopicAndId(SchemaRegistryEndpoint registry) {
    AvroDeserializer<Object> d = deserializer(Map.of("schema.registry.url", registry.url()));
    assertThatThrownBy(() -> d.deserialize("agent.tasks.v1", new byte[] {0, 0x7f, 0, 0, 1, 2, 3}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("schema id " + 0x7f000001)
        .hasMessageContaining("agent.tasks.v1")
        .hasMessageContaining("40403");
  }

  @Test
  void unknownMagicByteNamesTheTopic(SchemaRegistryEndpoint registry) {
    AvroDeserializer<Object> d = deserializer(Map.of("schema.registry.url", registry.url()));
    assertThatThrownBy(() -> d.deserialize("agent.tasks.v1", "{\"json\":true}".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Unknown magic byte 0x7b")
        .hasMessageContaining("agent.tasks.v1");
  }

  @Test
  void incompatibleSchemaIs409NamingTopicAndSubject(SchemaRegistryEndpoint registry) {
    String topic = topic();
    Schema v1 =
        SchemaBuilder.record("Loan")
            .namespace("dev.agentyard.test")
            .fields()
            .requiredString("id")
            .endRecord();
    Schema v2 =
        SchemaBuilder.record("Loan")
            .namespace("dev.agentyard.test")
            .fields()
            .requiredString("id")
            .requiredLong("amountMicroUsd")
            .endRecord();
    GenericData.Record r1 = new GenericData.Record(v1);
    r1.put("id", "l-1");
    AvroSerializer<Object> s = serializer(Map.of("schema.registry.url", registry.url()));
    s.serialize(topic, r1);
    GenericData.Record r2 = new GenericData.Record(v2);
    r2.put("id", "l-2");
    r2.put("amountMicroUsd", 5L);
    assertThatThrownBy(() -> s.serialize(topic, r2))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic '" + topic + "'")
        .hasMessageContaining("subject '" + topic + "-value'")
        .hasMessageContaining("incompatible")
        .hasMessageContaining("409");
  }

  @Test
  void compatibleChangeRegistersANewVersion(SchemaRegistryEndpoint registry) {
    String topic = topic();
    Schema v1 =
        SchemaBuilder.record("Loan")
            .namespace("dev.agentyard.test")
            .fields()
            .requiredString("id")
            .endRecord();
    Schema v2 =
        SchemaBuilder.record("Loan")
            .namespace("dev.agentyard.test")
            .fields()
            .requiredString("id")
            .name("note")
            .type()
            .optional()
            .stringType()
            .endRecord();
    AvroSerializer<Object> s = serializer(Map.of("schema.registry.url", registry.url()));
    GenericData.Record r1 = new GenericData.Record(v1);
    r1.put("id", "l-1");
    GenericData.Record r2 = new GenericData.Record(v2);
    r2.put("id", "l-2");
    byte[] b1 = s.serialize(topic, r1);
    byte[] b2 = s.serialize(topic, r2);
    assertThat(WireFormat.schemaId(b2)).isNotEqualTo(WireFormat.schemaId(b1));
  }

  @Test
  void unregisteredSchemaWithAutoRegisterOffNamesTheSubject(SchemaRegistryEndpoint registry) {
    String topic = topic();
    AvroSerializer<SpecificRecord> s =
        serializer(Map.of("schema.registry.url", registry.url(), "auto.register.schemas", false));
    assertThatThrownBy(() -> s.serialize(topic, SampleEvents.task("t-1")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("subject '" + topic + "-value'")
        .hasMessageContaining("not registered");
  }

  @Test
  void unreachableRegistryFailsClearlyWithoutLeakingCredentials() throws Exception {
    int dead;
    try (var sock = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = sock.getLocalPort();
    }
    AvroSerializer<SpecificRecord> s =
        serializer(
            Map.of(
                "schema.registry.url",
                "http://127.0.0.1:" + dead,
                "basic.auth.credentials.source",
                "USER_INFO",
                "basic.auth.user.info",
                "svc-agent:Sup3rS3cret",
                "max.retries",
                1,
                "retries.wait.ms",
                10));
    assertThatThrownBy(() -> s.serialize("agent.tasks.v1", SampleEvents.task("t-1")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("agent.tasks.v1")
        .hasMessageContaining("unreachable")
        .satisfies(
            e ->
                assertThat(fullText(e)).doesNotContain("Sup3rS3cret").doesNotContain("svc-agent:"));
  }

  private static String fullText(Throwable t) {
    StringBuilder b = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      b.append(c).append('\n');
    }
    return b.toString();
  }
}
