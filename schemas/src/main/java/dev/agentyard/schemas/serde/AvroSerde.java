package dev.agentyard.schemas.serde;

import dev.agentyard.schemas.registry.SchemaRegistryClient;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Serde pairs over {@link AvroSerializer} and {@link AvroDeserializer}. */
public final class AvroSerde {

  private AvroSerde() {}

  /** A serde for one generated class; reads it with schema resolution. Configure before use. */
  public static <T extends SpecificRecord> Serde<T> specific(Class<T> type) {
    return specific(type, null);
  }

  /** As {@link #specific(Class)}, sharing a registry client that the serde will not close. */
  public static <T extends SpecificRecord> Serde<T> specific(
      Class<T> type, SchemaRegistryClient registry) {
    AvroSerializer<T> ser =
        registry == null ? new AvroSerializer<>() : new AvroSerializer<>(registry);
    AvroDeserializer<T> de =
        registry == null ? new AvroDeserializer<>() : new AvroDeserializer<>(registry);
    Serde<T> inner = Serdes.serdeFrom(ser, de);
    return new Serde<>() {
      @Override
      public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> withType = new HashMap<>(configs);
        withType.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        withType.put(
            isKey
                ? AvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE
                : AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE,
            type.getName());
        inner.configure(withType, isKey);
      }

      @Override
      public Serializer<T> serializer() {
        return inner.serializer();
      }

      @Override
      public Deserializer<T> deserializer() {
        return inner.deserializer();
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }

  /**
   * As {@link #specific(Class, SchemaRegistryClient)}, configured as a value serde with {@code
   * config} (registry URL, credentials).
   */
  public static <T extends SpecificRecord> Serde<T> specific(
      Class<T> type, SchemaRegistryClient registry, Map<String, ?> config) {
    Serde<T> s = specific(type, registry);
    s.configure(config, false);
    return s;
  }

  /** A serde for generic records. Configure before use. */
  public static Serde<GenericRecord> generic(SchemaRegistryClient registry) {
    return Serdes.serdeFrom(
        registry == null ? new AvroSerializer<>() : new AvroSerializer<>(registry),
        registry == null ? new AvroDeserializer<>() : new AvroDeserializer<>(registry));
  }
}
