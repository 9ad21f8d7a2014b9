package dev.agentyard.dlq.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentyard.schemas.registry.SchemaRegistryClient;
import dev.agentyard.schemas.serde.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes a record value for display: Confluent wire format, writer schema fetched from the
 * registry by id, rendered as JSON. Document content (inline text and bytes, extracted text, model
 * output) is replaced by its size and SHA-256 unless asked for: a dead letter of a loan application
 * carries personal data, and most investigations need only the metadata. A value that does not
 * decode is shown as what it is (size, a hex preview, why), never an error page.
 */
public final class ValueDecoder {

  /** Records whose every field is content. */
  private static final Set<String> CONTENT_RECORDS =
      Set.of("dev.agentyard.avro.InlineText", "dev.agentyard.avro.InlineBytes");

  /** Fields that carry content wherever they appear. */
  private static final Set<String> CONTENT_FIELDS =
      Set.of("extractedText", "modelOutput", "output", "response", "toolInput", "toolOutput");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SchemaRegistryClient registry;

  public ValueDecoder(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  /**
   * The value as JSON: {@code {"schema":..., "schemaId":..., "value":...}} or {@code
   * {"undecodable":...}}.
   */
  public ObjectNode decode(byte[] value, boolean showContent) {
    ObjectNode out = JSON.createObjectNode();
    if (value == null) {
      out.put("undecodable", "null value (a tombstone)");
      return out;
    }
    if (value.length < WireFormat.HEADER_SIZE || value[0] != WireFormat.MAGIC_BYTE) {
      return undecodable(
          out, value, "not the Confluent wire format (no magic byte 0 and schema id)");
    }
    int id = WireFormat.schemaId(value);
    Schema schema;
    try {
      schema = registry.getById(id);
    } catch (RuntimeException e) {
      return undecodable(
          out,
          value,
          "schema id " + id + " cannot be fetched from the registry: " + e.getMessage());
    }
    try {
      GenericDatumReader<Object> reader = new GenericDatumReader<>(schema);
      Object datum =
          reader.read(
              null,
              DecoderFactory.get()
                  .binaryDecoder(
                      value, WireFormat.HEADER_SIZE, value.length - WireFormat.HEADER_SIZE, null));
      out.put("schema", schema.getFullName());
      out.put("schemaId", id);
      out.set("value", render(datum, schema, showContent));
      return out;
    } catch (IOException | RuntimeException e) {
      return undecodable(
          out,
          value,
          "does not decode with schema id "
              + id
              + " ("
              + schema.getFullName()
              + "): "
              + e.getMessage());
    }
  }

  private static ObjectNode undecodable(ObjectNode out, byte[] value, String why) {
    out.put("undecodable", why);
    out.put("sizeBytes", value.length);
    out.put("hexPreview", HexFormat.of().formatHex(value, 0, Math.min(32, value.length)));
    return out;
  }

  /** Any Avro datum (generic or specific) as JSON, content redacted unless {@code showContent}. */
  public static JsonNode toJson(Object datum, Schema schema, boolean showContent) {
    return render(datum, schema, showContent);
  }

  private static JsonNode render(Object datum, Schema schema, boolean showContent) {
    if (datum == null) {
      return JSON.nullNode();
    }
    if (datum instanceof Instant t) {
      return JSON.getNodeFactory().textNode(t.toString());
    }
    switch (schema.getType()) {
      case UNION:
        return render(
            datum,
            schema.getTypes().get(GenericData.get().resolveUnion(schema, datum)),
            showContent);
      case RECORD:
        {
          GenericRecord r = (GenericRecord) datum;
          if (!showContent && CONTENT_RECORDS.contains(schema.getFullName())) {
            return redacted(r.get(0));
          }
          ObjectNode o = JSON.createObjectNode();
          for (Schema.Field f : schema.getFields()) {
            Object v = r.get(f.pos());
            o.set(
                f.name(),
                !showContent && CONTENT_FIELDS.contains(f.name()) && v != null
                    ? redacted(v)
                    : render(v, f.schema(), showContent));
          }
          return o;
        }
      case ARRAY:
        {
          ArrayNode a = JSON.createArrayNode();
          for (Object x : (Collection<?>) datum) {
            a.add(render(x, schema.getElementType(), showContent));
          }
          return a;
        }
      case MAP:
        {
          ObjectNode o = JSON.createObjectNode();
          ((Map<?, ?>) datum)
              .forEach(
                  (k, v) -> o.set(k.toString(), render(v, schema.getValueType(), showContent)));
          return o;
        }
      case LONG:
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
          return JSON.getNodeFactory().textNode(Instant.ofEpochMilli((Long) datum).toString());
        }
        return JSON.getNodeFactory().numberNode((Long) datum);
      case INT:
        return JSON.getNodeFactory().numberNode((Integer) datum);
      case DOUBLE:
        return JSON.getNodeFactory().numberNode((Double) datum);
      case FLOAT:
        return JSON.getNodeFactory().numberNode((Float) datum);
      case BOOLEAN:
        return JSON.getNodeFactory().booleanNode((Boolean) datum);
      case BYTES:
        {
          ByteBuffer b = ((ByteBuffer) datum).duplicate();
          byte[] bytes = new byte[b.remaining()];
          b.get(bytes);
          return JSON.getNodeFactory().textNode(Base64.getEncoder().encodeToString(bytes));
        }
      case FIXED:
        return JSON.getNodeFactory()
            .textNode(HexFormat.of().formatHex(((GenericData.Fixed) datum).bytes()));
      case NULL:
        return JSON.nullNode();
      default: // STRING, ENUM
        return JSON.getNodeFactory().textNode(datum.toString());
    }
  }

  private static JsonNode redacted(Object content) {
    byte[] bytes;
    if (content instanceof ByteBuffer b) {
      ByteBuffer d = b.duplicate();
      bytes = new byte[d.remaining()];
      d.get(bytes);
    } else {
      bytes = content.toString().getBytes(StandardCharsets.UTF_8);
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("redacted", true);
    o.put("sizeBytes", bytes.length);
    o.put("sha256", sha256(bytes));
    return o;
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
