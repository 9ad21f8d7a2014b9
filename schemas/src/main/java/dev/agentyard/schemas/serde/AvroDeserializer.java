package dev.agentyard.schemas.serde;

import dev.agentyard.schemas.registry.RegistryUnavailableException;
import dev.agentyard.schemas.registry.SchemaRegistryClient;
import dev.agentyard.schemas.registry.SchemaRegistryClients;
import dev.agentyard.schemas.registry.SchemaRegistryException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format Avro. A drop-in for Confluent's {@code KafkaAvroDeserializer}.
 *
 * <p>Returns a {@link org.apache.avro.generic.GenericRecord} by default; with {@code
 * specific.avro.reader=true} the generated class (of {@code specific.avro.value.type}, or named by
 * the writer schema), resolving the writer's schema to the reader's so older and newer versions
 * both read.
 *
 * <p>Every failure is a {@link SerializationException} naming the topic and schema id: a wrong
 * magic byte, a truncated payload, an unknown id, an unreachable registry, or bytes that do not
 * decode.
 */
public class AvroDeserializer<T> implements Deserializer<T> {

  private record ReaderKey(int writerId, Schema readerSchema) {}

  private SchemaRegistryClient registry;
  private boolean ownsRegistry;
  private AvroSerdeConfig config;
  private Schema specificReaderSchema;
  private final ConcurrentMap<ReaderKey, DatumReader<Object>> readers = new ConcurrentHashMap<>();

  public AvroDeserializer() {}

  /**
   * With a shared registry client (not closed by this deserializer). Call {@link #configure} next.
   */
  public AvroDeserializer(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.config = AvroSerdeConfig.fromMap(configs, isKey);
    this.specificReaderSchema =
        config.specificType().map(AvroDeserializer::schemaOfClass).orElse(null);
    if (registry == null) {
      registry = SchemaRegistryClients.create(configs);
      ownsRegistry = true;
    }
  }

  private static Schema schemaOfClass(String className) {
    try {
      Class<?> c = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
      if (!SpecificRecord.class.isAssignableFrom(c)) {
        throw new SerializationException(className + " is not an Avro SpecificRecord");
      }
      return SpecificData.get().getSchema(c);
    } catch (ClassNotFoundException e) {
      throw new SerializationException(
          "Configured Avro reader class " + className + " is not on the classpath", e);
    }
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return deserialize(topic, null, data);
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(String topic, Headers headers, byte[] data) {
    if (data == null) {
      return null;
    }
    if (config == null) {
      throw new IllegalStateException("AvroDeserializer used before configure()");
    }
    if (data.length < WireFormat.HEADER_SIZE) {
      throw new SerializationException(
          "Payload on topic '"
              + topic
              + "' is "
              + data.length
              + " bytes, shorter than the 5-byte Confluent wire-format header");
    }
    if (data[0] != WireFormat.MAGIC_BYTE) {
      throw new SerializationException(
          String.format(
              "Unknown magic byte 0x%02x on topic '%s': expected 0x00 (Confluent wire format); the record was not written by an Avro schema-registry serializer",
              data[0], topic));
    }
    int id = WireFormat.schemaId(data);
    Schema writer;
    try {
      writer = registry.getById(id);
    } catch (RegistryUnavailableException e) {
      throw new SerializationException(
          "Cannot read schema id "
              + id
              + " for topic '"
              + topic
              + "': registry unreachable ("
              + e.getMessage()
              + ")",
          e);
    } catch (SchemaRegistryException e) {
      String what =
          e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND
              ? "unknown schema id (40403)"
              : "registry error";
      throw new SerializationException(
          "Cannot read schema id "
              + id
              + " for topic '"
              + topic
              + "': "
              + what
              + " ("
              + e.getMessage()
              + ")",
          e);
    }
    Schema reader = readerSchema(writer, topic, id);
    try {
      DatumReader<Object> datumReader =
          readers.computeIfAbsent(
              new ReaderKey(id, reader), k -> newReader(writer, k.readerSchema()));
      BinaryDecoder decoder =
          DecoderFactory.get()
              .binaryDecoder(
                  data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
      Object value = datumReader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new SerializationException(
            "Trailing bytes after the datum on topic '" + topic + "', schema id " + id);
      }
      return (T) value;
    } catch (SerializationException e) {
      throw e;
    } catch (Exception | StackOverflowError | OutOfMemoryError e) {
      // Corrupt bytes show up as EOF, negative lengths, bad union indexes or absurd allocations.
      throw new SerializationException(
          "Cannot decode Avro payload on topic '"
              + topic
              + "' with schema id "
              + id
              + " ("
              + writer.getFullName()
              + "): "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()),
          e);
    }
  }

  private Schema readerSchema(Schema writer, String topic, int id) {
    if (!config.specificAvroReader()) {
      return writer;
    }
    if (specificReaderSchema != null) {
      return specificReaderSchema;
    }
    Class<?> c = SpecificData.get().getClass(writer);
    if (c == null) {
      throw new SerializationException(
          "No generated class for "
              + writer.getFullName()
              + " (schema id "
              + id
              + ", topic '"
              + topic
              + "') on the classpath; set specific.avro.value.type or read generic records");
    }
    return SpecificData.get().getSchema(c);
  }

  @SuppressWarnings("unchecked")
  private DatumReader<Object> newReader(Schema writer, Schema reader) {
    return (DatumReader<Object>)
        (config.specificAvroReader()
            ? new SpecificDatumReader<>(writer, reader)
            : new GenericDatumReader<>(writer, reader));
  }

  @Override
  public void close() {
    if (ownsRegistry && registry != null) {
      registry.close();
    }
  }
}
