package dev.agentyard.schemas.compat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.LoggerFactory;

/**
 * Checks that each current schema is BACKWARD compatible with every released version of it: a
 * consumer on the current schema can read everything ever written with a released one. Uses Avro's
 * own {@link SchemaCompatibility}, the same rules a registry applies.
 *
 * <p>Released versions live in {@code schemas/released/<Record>/v<N>.avsc}, each self-contained
 * (all named types inlined), exactly as registered.
 */
public final class SchemaEvolutionGuard {

  /** One incompatibility found. */
  public record Violation(String schema, String releasedVersion, String description) {
    @Override
    public String toString() {
      return schema
          + " is not BACKWARD compatible with released "
          + releasedVersion
          + ": "
          + description;
    }
  }

  private SchemaEvolutionGuard() {}

  /** Compares one current schema with released versions; empty when all are compatible. */
  public static List<Violation> check(Schema current, Map<String, Schema> released) {
    List<Violation> out = new ArrayList<>();
    released.forEach(
        (version, old) -> {
          SchemaPairCompatibility result =
              SchemaCompatibility.checkReaderWriterCompatibility(current, old);
          if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
            String why =
                result.getResult().getIncompatibilities().stream()
                    .map(
                        i ->
                            i.getType()
                                + " at "
                                + i.getLocation()
                                + (i.getMessage() == null ? "" : " (" + i.getMessage() + ")"))
                    .reduce((a, b) -> a + "; " + b)
                    .orElse(result.getDescription());
            out.add(new Violation(current.getFullName(), version, why));
          }
        });
    return out;
  }

  /** The released versions of a record, by file name (v1.avsc, v2.avsc, ...) in version order. */
  public static Map<String, Schema> releasedVersions(Path releasedDir, String recordName) {
    Path dir = releasedDir.resolve(recordName);
    if (!Files.isDirectory(dir)) {
      return Map.of();
    }
    Map<String, Schema> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f :
          files
              .filter(p -> p.toString().endsWith(".avsc"))
              .sorted(Comparator.comparingInt(SchemaEvolutionGuard::versionOf))
              .toList()) {
        out.put(f.getFileName().toString(), new Schema.Parser().parse(Files.readString(f)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read released schemas in " + dir, e);
    }
    return out;
  }

  /** The record names that have released versions. */
  public static List<String> releasedRecords(Path releasedDir) {
    if (!Files.isDirectory(releasedDir)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(releasedDir)) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + releasedDir, e);
    }
  }

  static int versionOf(Path file) {
    String name = file.getFileName().toString();
    try {
      return Integer.parseInt(name.substring(1, name.length() - ".avsc".length()));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Released schema files are named v<N>.avsc, found " + file, e);
    }
  }

  /**
   * Releases the current schemas: writes {@code v<N+1>.avsc} for every event whose current schema
   * differs (in parsing canonical form) from its latest released version. Run it when cutting a
   * release: {@code java ... SchemaEvolutionGuard schemas/released}.
   */
  public static void main(String[] args) throws IOException {
    Path releasedDir = Path.of(args.length > 0 ? args[0] : "schemas/released");
    for (Class<? extends SpecificRecord> event : dev.agentyard.schemas.EventSchemas.EVENTS) {
      Schema current = dev.agentyard.schemas.EventSchemas.schemaOf(event);
      Map<String, Schema> released = releasedVersions(releasedDir, current.getName());
      List<Violation> violations = check(current, released);
      if (!violations.isEmpty()) {
        throw new IllegalStateException("Refusing to release: " + violations);
      }
      Schema latest =
          released.isEmpty() ? null : List.copyOf(released.values()).get(released.size() - 1);
      if (latest != null
          && SchemaNormalization.parsingFingerprint64(latest)
              == SchemaNormalization.parsingFingerprint64(current)
          && latest.toString().equals(current.toString())) {
        continue;
      }
      Path file =
          releasedDir.resolve(current.getName()).resolve("v" + (released.size() + 1) + ".avsc");
      Files.createDirectories(file.getParent());
      Files.writeString(file, current.toString(true) + "\n");
      LoggerFactory.getLogger(SchemaEvolutionGuard.class).info("Released {}", file);
    }
  }
}
