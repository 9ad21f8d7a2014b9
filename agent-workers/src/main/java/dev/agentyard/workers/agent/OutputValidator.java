package dev.agentyard.workers.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks a model's final answer against the route's output JSON Schema (draft 2020-12, with the
 * networknt validator). The answer may be wrapped in prose or a Markdown code fence; the JSON
 * object inside is what is checked and kept.
 */
public final class OutputValidator {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The verdict on one answer. */
  public record Verdict(JsonNode output, List<String> errors) {
    public boolean valid() {
      return output != null && errors.isEmpty();
    }
  }

  private final Schema schema;
  private final String version;
  private final String schemaText;

  public OutputValidator(String schemaJson) {
    this.schemaText = schemaJson;
    this.schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaJson);
    this.version = sha256(schemaJson).substring(0, 12);
  }

  /** The schema as given, to show the model in a repair request. */
  public String schemaText() {
    return schemaText;
  }

  /** A short content hash of the schema: results say which schema they were validated against. */
  public String version() {
    return version;
  }

  public Verdict check(String answer) {
    String candidate = extractJson(answer);
    if (candidate == null) {
      return new Verdict(null, List.of("the answer contains no JSON object"));
    }
    JsonNode node;
    try {
      node = JSON.readTree(candidate);
    } catch (JsonProcessingException e) {
      return new Verdict(null, List.of("the answer is not valid JSON: " + e.getOriginalMessage()));
    } catch (IOException e) {
      return new Verdict(null, List.of("the answer is not valid JSON"));
    }
    List<String> errors = schema.validate(node).stream().limit(10).map(Error::getMessage).toList();
    return new Verdict(node, errors);
  }

  /** The outermost {...} in the text, or null. */
  static String extractJson(String text) {
    if (text == null) {
      return null;
    }
    int start = text.indexOf('{');
    int end = text.lastIndexOf('}');
    return start < 0 || end < start ? null : text.substring(start, end + 1);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
