package dev.agentyard.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Collectors;

/**
 * The suite's table: every scenario appends its row (and notes) to {@code
 * target/reliability/results.md} as it finishes, and prints it, so a run leaves the table
 * docs/reliability.md quotes.
 */
final class ReliabilityReport {

  private ReliabilityReport() {}

  static Path dir() {
    return Path.of(System.getProperty("agentyard.reliability.dir", "target/reliability"));
  }

  /**
   * A scenario's own directory (config, logs, state), emptied first and kept after the run for
   * whoever reads the logs.
   */
  static Path scenarioDir(String scenario) {
    Path d = dir().resolve(scenario);
    try {
      if (Files.exists(d)) {
        try (var walk = Files.walk(d)) {
          walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
      return Files.createDirectories(d);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static synchronized void add(Row row) {
    Path file = dir().resolve("results.md");
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.writeString(file, Row.HEADER + "\n");
      }
      Files.writeString(
          file, row.markdown() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      String notes =
          row.notes().entrySet().stream()
              .map(e -> "  - " + e.getKey() + ": " + e.getValue())
              .collect(Collectors.joining("\n"));
      String broken =
          row.violations().stream().map(v -> "  - BROKEN " + v).collect(Collectors.joining("\n"));
      Files.writeString(
          dir().resolve("notes.md"),
          "- " + row.scenario() + "\n" + notes + (broken.isEmpty() ? "" : "\n" + broken) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      System.out.println(
          Row.HEADER
              + "\n"
              + row.markdown()
              + "\n"
              + notes
              + (broken.isEmpty() ? "" : "\n" + broken));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
