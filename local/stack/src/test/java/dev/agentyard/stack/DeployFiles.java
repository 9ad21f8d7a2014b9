package dev.agentyard.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads what deploy/ holds: YAML documents, dashboards, and the metric names rules and dashboards
 * use.
 */
final class DeployFiles {

  static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  static final Path DEPLOY = ROOT.resolve("deploy");
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern METRIC =
      Pattern.compile("\\b((?:agentyard|kafka|gen_ai|resilience4j|jvm|process)_[a-zA-Z0-9_]+)\\b");

  private DeployFiles() {}

  /**
   * The documents of a YAML file. SnakeYAML (under Jackson's YAML module) resolves anchors, aliases
   * and merge keys as docker compose does; Jackson's own YAML tree would leave them unresolved.
   */
  static List<JsonNode> yamlDocuments(Path file) {
    try (var in = Files.newBufferedReader(file)) {
      List<JsonNode> docs = new ArrayList<>();
      for (Object doc : new Yaml().loadAll(in)) {
        if (doc != null) {
          docs.add(JSON.valueToTree(doc));
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + file, e);
    }
  }

  static JsonNode yaml(Path file) {
    return yamlDocuments(file).get(0);
  }

  static List<Path> dashboards() {
    try (Stream<Path> s = Files.list(DEPLOY.resolve("grafana/dashboards"))) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every PromQL expression of the alert rules and the dashboards. */
  static List<String> expressions() {
    List<String> out = new ArrayList<>();
    for (JsonNode g : yaml(DEPLOY.resolve("prometheus/alerts.yml")).path("groups")) {
      g.path("rules").forEach(r -> out.add(r.path("expr").asText()));
    }
    for (Path d : dashboards()) {
      try {
        JSON.readTree(d.toFile())
            .path("panels")
            .forEach(p -> p.path("targets").forEach(t -> out.add(t.path("expr").asText())));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** The metric names the expressions use, as Prometheus exposes them. */
  static Set<String> referencedMetrics() {
    Set<String> names = new TreeSet<>();
    for (String e : expressions()) {
      // label lists and selectors name labels, not metrics
      String metricsOnly =
          e.replaceAll("(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
              .replaceAll("\\{[^}]*\\}", " ");
      Matcher m = METRIC.matcher(metricsOnly);
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }
}
