package dev.agentyard.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A registry in memory with the same semantics as a real one: content-based ids shared across
 * subjects, versions per subject, and compatibility checked with Avro's rules on register (default
 * BACKWARD). For unit tests (e.g. with {@code TopologyTestDriver}) and tools that run without a
 * registry; integration tests use a real registry.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

  private final Map<String, Integer> idByCanonical = new HashMap<>();
  private final Map<Integer, Schema> schemaById = new HashMap<>();
  private final Map<String, List<Integer>> versionsBySubject = new LinkedHashMap<>();
  private final Map<String, CompatibilityLevel> levelBySubject = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;

  @Override
  public synchronized int register(String subject, Schema schema) {
    List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
    String canonical = schema.toString();
    Integer existing = idByCanonical.get(canonical);
    if (existing != null && versions.contains(existing)) {
      return existing;
    }
    if (!compatible(subject, schema)) {
      throw new SchemaRegistryException(
          "Schema being registered is incompatible with an earlier schema for subject '"
              + subject
              + "'",
          409,
          SchemaRegistryException.INCOMPATIBLE_SCHEMA);
    }
    int id = idByCanonical.computeIfAbsent(canonical, c -> idByCanonical.size() + 1);
    schemaById.put(id, schema);
    versions.add(id);
    return id;
  }

  @Override
  public synchronized int lookupId(String subject, Schema schema) {
    List<Integer> versions = versionsBySubject.get(subject);
    if (versions == null) {
      throw new SchemaRegistryException(
          "Subject '" + subject + "' not found.", 404, SchemaRegistryException.SUBJECT_NOT_FOUND);
    }
    Integer id = idByCanonical.get(schema.toString());
    if (id == null || !versions.contains(id)) {
      throw new SchemaRegistryException(
          "Schema not found under subject '" + subject + "'",
          404,
          SchemaRegistryException.SCHEMA_NOT_FOUND);
    }
    return id;
  }

  @Override
  public synchronized Schema getById(int id) {
    Schema s = schemaById.get(id);
    if (s == null) {
      throw new SchemaRegistryException(
          "Schema " + id + " not found.", 404, SchemaRegistryException.SCHEMA_NOT_FOUND);
    }
    return s;
  }

  @Override
  public synchronized RegisteredSchema latestVersion(String subject) {
    List<Integer> versions = versionsBySubject.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw new SchemaRegistryException(
          "Subject '" + subject + "' not found.", 404, SchemaRegistryException.SUBJECT_NOT_FOUND);
    }
    int id = versions.get(versions.size() - 1);
    return new RegisteredSchema(subject, versions.size(), id, schemaById.get(id));
  }

  @Override
  public synchronized boolean isCompatible(String subject, Schema schema) {
    return compatible(subject, schema);
  }

  private boolean compatible(String subject, Schema candidate) {
    List<Integer> versions = versionsBySubject.getOrDefault(subject, List.of());
    if (versions.isEmpty()) {
      return true;
    }
    CompatibilityLevel level = levelBySubject.getOrDefault(subject, globalLevel);
    List<Integer> against =
        switch (level) {
          case NONE -> List.of();
          case BACKWARD, FORWARD, FULL -> List.of(versions.get(versions.size() - 1));
          default -> versions;
        };
    for (int id : against) {
      Schema old = schemaById.get(id);
      boolean backward = ok(candidate, old);
      boolean forward = ok(old, candidate);
      boolean pass =
          switch (level) {
            case BACKWARD, BACKWARD_TRANSITIVE -> backward;
            case FORWARD, FORWARD_TRANSITIVE -> forward;
            case FULL, FULL_TRANSITIVE -> backward && forward;
            case NONE -> true;
          };
      if (!pass) {
        return false;
      }
    }
    return true;
  }

  private static boolean ok(Schema reader, Schema writer) {
    return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
        == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
  }

  @Override
  public synchronized void setCompatibility(Optional<String> subject, CompatibilityLevel level) {
    if (subject.isPresent()) {
      levelBySubject.put(subject.get(), level);
    } else {
      globalLevel = level;
    }
  }

  @Override
  public synchronized CompatibilityLevel getCompatibility(Optional<String> subject) {
    return subject.map(s -> levelBySubject.getOrDefault(s, globalLevel)).orElse(globalLevel);
  }

  @Override
  public synchronized List<String> subjects() {
    return List.copyOf(versionsBySubject.keySet());
  }

  @Override
  public void close() {
    // nothing to release
  }
}
