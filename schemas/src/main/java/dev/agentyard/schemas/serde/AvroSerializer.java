package dev.agentyard.schemas.serde;

import dev.agentyard.schemas.registry.RegisteredSchema;
import dev.agentyard.schemas.registry.SchemaRegistryClient;
import dev.agentyard.schemas.registry.SchemaRegistryClients;
import dev.agentyard.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serializes Avro records ({@link SpecificRecord} or {@link org.apache.avro.generic.GenericRecord})
 * in the Confluent wire format. A drop-in for Confluent's {@code KafkaAvroSerializer}: same
 * configuration keys, same bytes.
 *
 * <p>With {@code auto.register.schemas=true} (default) the record's schema is registered under its
 * subject; otherwise its id is looked up, or with {@code use.latest.version=true} the subject's
 * latest version is used, which must then be the record's schema (Avro parsing canonical form).
 */
public class AvroSerializer<T> implements Serializer<T> {

  private SchemaRegistryClient registry;
  private boolean ownsRegistry;
  private AvroSerdeConfig config;
  private boolean isKey;

  private record WriterKey(Schema schema, boolean specific) {}

  private final ConcurrentMap<WriterKey, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

  /** For Kafka to instantiate by class name; {@link #configure} then builds the registry client. */
  public AvroSerializer() {}

  /**
   * With a shared registry client (not closed by this serializer). Call {@link #configure} next.
   */
  public AvroSerializer(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    this.config = AvroSerdeConfig.fromMap(configs, isKey);
    if (registry == null) {
      registry = SchemaRegistryClients.create(configs);
      ownsRegistry = true;
    }
  }

  @Override
  public byte[] serialize(String topic, T data) {
    return serialize(topic, null, data);
  }

  @Override
  public byte[] serialize(String topic, Headers headers, T data) {
    if (data == null) {
      return null;
    }
    if (config == null) {
      throw new IllegalStateException("AvroSerializer used before configure()");
    }
    if (!(data instanceof GenericContainer container)) {
      throw new SerializationException(
          "Cannot serialize "
              + data.getClass().getName()
              + " to topic '"
              + topic
              + "': only Avro records (SpecificRecord, GenericRecord) are supported");
    }
    Schema schema = container.getSchema();
    String subject;
    try {
      subject = config.subjectNameStrategy().subject(topic, isKey, schema);
    } catch (IllegalArgumentException e) {
      throw new SerializationException(
          "Cannot derive a subject for topic '" + topic + "': " + e.getMessage(), e);
    }
    int id = schemaId(topic, subject, schema);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      byte[] header = new byte[WireFormat.HEADER_SIZE];
      WireFormat.writeHeader(header, id);
      out.write(header);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writers
          .computeIfAbsent(
              new WriterKey(schema, data instanceof SpecificRecord), AvroSerializer::writerFor)
          .write(data, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Cannot encode "
              + schema.getFullName()
              + " for topic '"
              + topic
              + "', subject '"
              + subject
              + "', schema id "
              + id
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private int schemaId(String topic, String subject, Schema schema) {
    try {
      if (config.useLatestVersion()) {
        RegisteredSchema latest = registry.latestVersion(subject);
        if (SchemaNormalization.parsingFingerprint64(latest.schema())
            != SchemaNormalization.parsingFingerprint64(schema)) {
          throw new SerializationException(
              "Latest schema of subject '"
                  + subject
                  + "' (id "
                  + latest.id()
                  + ", version "
                  + latest.version()
                  + ") is not the schema of "
                  + schema.getFullName()
                  + " being written to topic '"
                  + topic
                  + "'; upgrade the producer or register its schema");
        }
        return latest.id();
      }
      return config.autoRegisterSchemas()
          ? registry.register(subject, schema)
          : registry.lookupId(subject, schema);
    } catch (SchemaRegistryException e) {
      String what =
          switch (e.errorCode()) {
            case SchemaRegistryException.INCOMPATIBLE_SCHEMA ->
                "schema is incompatible with the versions registered under it";
            case SchemaRegistryException.SUBJECT_NOT_FOUND,
                SchemaRegistryException.SCHEMA_NOT_FOUND ->
                "schema is not registered under it (auto.register.schemas=false)";
            default -> "registry error";
          };
      throw new SerializationException(
          "Cannot serialize "
              + schema.getFullName()
              + " to topic '"
              + topic
              + "', subject '"
              + subject
              + "': "
              + what
              + " ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  @SuppressWarnings("unchecked")
  private static DatumWriter<Object> writerFor(WriterKey key) {
    // Generated classes carry their logical-type conversions (Instant for timestamp-millis);
    // generic records hold the raw values and must not go through them.
    DatumWriter<?> w =
        key.specific()
            ? new SpecificDatumWriter<>(key.schema())
            : new GenericDatumWriter<>(key.schema());
    return (DatumWriter<Object>) w;
  }

  @Override
  public void close() {
    if (ownsRegistry && registry != null) {
      registry.close();
    }
  }
}
