package dev.agentyard.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.schemas.SampleEvents;
import dev.agentyard.schemas.registry.InMemorySchemaRegistryClient;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private static final Map<String, Object> PROPS = Map.of("schema.registry.url", "http://unused");

  private <T> AvroSerializer<T> serializer(Map<String, Object> props) {
    AvroSerializer<T> s = new AvroSerializer<>(registry);
    s.configure(props, false);
    return s;
  }

  private <T> AvroDeserializer<T> deserializer(Map<String, Object> props) {
    AvroDeserializer<T> d = new AvroDeserializer<>(registry);
    d.configure(props, false);
    return d;
  }

  @Test
  void writesTheConfluentWireFormat() {
    byte[] bytes = serializer(PROPS).serialize("agent.tasks.v1", SampleEvents.task("t-1"));
    int id = registry.lookupId("agent.tasks.v1-value", TaskSubmitted.getClassSchema());
    assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
  }

  @Test
  void readsSpecificRecordsWithTheSpecificSerde() {
    Serde<TaskSubmitted> serde = AvroSerde.specific(TaskSubmitted.class, registry);
    serde.configure(PROPS, false);
    TaskSubmitted task = SampleEvents.task("t-9");
    byte[] bytes = serde.serializer().serialize("agent.tasks.v1", task);
    assertThat(serde.deserializer().deserialize("agent.tasks.v1", bytes)).isEqualTo(task);
  }

  @Test
  void readsGenericRecordsByDefault() {
    byte[] bytes = serializer(PROPS).serialize("agent.tasks.v1", SampleEvents.task("t-1"));
    Object read = deserializer(PROPS).deserialize("agent.tasks.v1", bytes);
    assertThat(read).isInstanceOf(GenericRecord.class);
    assertThat(((GenericRecord) read).get("taskId").toString()).isEqualTo("t-1");
  }

  @Test
  void resolvesAnOlderWriterSchemaToTheCurrentReader() {
    // given ModelUsage written by an older producer that did not know cacheReadTokens /
    // cacheWriteTokens
    Schema current = ModelUsage.getClassSchema();
    SchemaBuilder.FieldAssembler<Schema> old =
        SchemaBuilder.record("ModelUsage").namespace("dev.agentyard.avro").fields();
    for (Schema.Field f : current.getFields()) {
      if (!f.name().startsWith("cache")) {
        old = old.name(f.name()).type(f.schema()).noDefault();
      }
    }
    Schema oldSchema = old.endRecord();
    ModelUsage sample =
        (ModelUsage)
            SampleEvents.oneOfEach().stream()
                .filter(e -> e instanceof ModelUsage)
                .findFirst()
                .orElseThrow();
    GenericRecord oldRecord = new GenericData.Record(oldSchema);
    for (Schema.Field f : oldSchema.getFields()) {
      Object v = sample.get(f.name());
      oldRecord.put(
          f.name(),
          v instanceof Instant i
              ? i.toEpochMilli()
              : v instanceof Enum<?> e ? new GenericData.EnumSymbol(f.schema(), e.name()) : v);
    }
    byte[] bytes = serializer(PROPS).serialize("agent.usage.v1", oldRecord);

    // when a current consumer reads it
    ModelUsage read =
        this.<ModelUsage>deserializer(
                Map.of("schema.registry.url", "x", "specific.avro.reader", true))
            .deserialize("agent.usage.v1", bytes);

    // then the new fields take their defaults and the rest is intact
    assertThat(read.getCacheReadTokens()).isZero();
    assertThat(read.getAttemptId()).isEqualTo(sample.getAttemptId());
    assertThat(read.getCompletedAt()).isEqualTo(sample.getCompletedAt());
  }

  @Test
  void rejectsAnUnknownMagicByteNamingTheTopic() {
    assertThatThrownBy(
            () -> deserializer(PROPS).deserialize("agent.tasks.v1", new byte[] {1, 0, 0, 0, 1, 2}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("magic byte 0x01")
        .hasMessageContaining("agent.tasks.v1");
  }

  @Test
  void rejectsATruncatedPayload() {
    assertThatThrownBy(() -> deserializer(PROPS).deserialize("agent.tasks.v1", new byte[] {0, 0}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("shorter than the 5-byte");
  }

  @Test
  void rejectsAnUnknownSchemaIdNamingTopicAndId() {
    assertThatThrownBy(
            () ->
                deserializer(PROPS)
                    .deserialize("agent.tasks.v1", new byte[] {0, 0, 0, 0x30, 0x39, 2}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("schema id 12345")
        .hasMessageContaining("agent.tasks.v1")
        .hasMessageContaining("40403");
  }

  @Test
  void rejectsCorruptAvroBytesWithoutCrashing() {
    byte[] good = serializer(PROPS).serialize("agent.tasks.v1", SampleEvents.task("t-1"));
    byte[] corrupt = Arrays.copyOf(good, 12);
    corrupt[6] = (byte) 0xff; // absurd varint length
    assertThatThrownBy(() -> deserializer(PROPS).deserialize("agent.tasks.v1", corrupt))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Cannot decode")
        .hasMessageContaining("agent.tasks.v1");
  }

  @Test
  void rejectsAnIncompatibleSchemaNamingTheSubject() {
    Schema v1 =
        SchemaBuilder.record("Probe")
            .namespace("dev.agentyard.test")
            .fields()
            .requiredString("id")
            .endRecord();
    Schema v2 =
        SchemaBuilder.record("Probe")
            .namespace("dev.agentyard.test")
            .fields()
            .requiredString("id")
            .requiredLong("mandatoryWithoutDefault")
            .endRecord();
    serializer(PROPS)
        .serialize(
            "probe",
            new GenericData.Record(v1) {
              {
                put("id", "a");
              }
            });
    GenericData.Record r2 = new GenericData.Record(v2);
    r2.put("id", "b");
    r2.put("mandatoryWithoutDefault", 1L);
    assertThatThrownBy(() -> serializer(PROPS).serialize("probe", r2))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("subject 'probe-value'")
        .hasMessageContaining("incompatible");
  }

  @Test
  void refusesToRegisterWhenAutoRegisterIsOff() {
    AvroSerializer<SpecificRecord> s =
        serializer(Map.of("schema.registry.url", "x", "auto.register.schemas", false));
    assertThatThrownBy(() -> s.serialize("agent.tasks.v1", SampleEvents.task("t-1")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("agent.tasks.v1-value")
        .hasMessageContaining("not registered");
  }

  @Test
  void usesTheLatestVersionWhenAsked() {
    int id = registry.register("agent.tasks.v1-value", TaskSubmitted.getClassSchema());
    AvroSerializer<SpecificRecord> s =
        serializer(
            Map.of(
                "schema.registry.url",
                "x",
                "auto.register.schemas",
                false,
                "use.latest.version",
                true));
    byte[] bytes = s.serialize("agent.tasks.v1", SampleEvents.task("t-1"));
    assertThat(WireFormat.schemaId(bytes)).isEqualTo(id);
  }

  @Test
  void rejectsNonAvroValues() {
    AvroSerializer<Object> s = serializer(PROPS);
    assertThatThrownBy(() -> s.serialize("t", "plain string"))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("only Avro records");
  }

  @Test
  void passesNullThroughForTombstones() {
    assertThat(serializer(PROPS).serialize("agent.control.v1", null)).isNull();
    assertThat(deserializer(PROPS).deserialize("agent.control.v1", (byte[]) null)).isNull();
  }
}
