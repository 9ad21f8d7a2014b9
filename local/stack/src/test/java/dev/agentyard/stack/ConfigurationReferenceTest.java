package dev.agentyard.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.cost.CostAggregatorConfig;
import dev.agentyard.dlq.DlqConfig;
import dev.agentyard.router.RouterConfig;
import dev.agentyard.runtime.config.ConfigFiles;
import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.runtime.config.ConfigValues;
import dev.agentyard.simulator.SimulatorConfig;
import dev.agentyard.workers.WorkerConfig;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md lists every key each service reads, with its default and meaning. This test
 * builds each service's config from its defaults while recording the keys it reads, and fails when
 * the reference lists a key no service reads or misses one a service reads, or gives a default
 * other than the one in the service's defaults file.
 */
class ConfigurationReferenceTest {

  /**
   * Each service's effective configuration with nothing but its bundled defaults (and, for the cost
   * aggregator, one budget).
   */
  static Map<String, Map<String, String>> effective() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    out.put("router-service", RouterConfig.defaults());
    out.put("agent-workers", WorkerConfig.defaults());
    out.put(
        "cost-aggregator",
        CostAggregatorConfig.effective(Map.of("budget.route.income.daily", "50000000")));
    out.put("dlq-handler", DlqConfig.defaults());
    out.put("provider-simulator", SimulatorConfig.defaults());
    return out;
  }

  /**
   * Keys each service reads, with route, provider, model and tenant names replaced by placeholders.
   */
  static Map<String, Set<String>> keysRead() {
    Map<String, Map<String, String>> effective = effective();
    Map<String, Set<String>> out = new LinkedHashMap<>();
    out.put(
        "router-service",
        normalise(
            ConfigValues.keysReadBy(() -> RouterConfig.fromMap(effective.get("router-service")))));
    out.put(
        "agent-workers",
        normalise(
            ConfigValues.keysReadBy(
                () ->
                    WorkerConfig.fromMap(
                        effective.get("agent-workers"), Map.of(), ConfigFiles.disk()))));
    out.put(
        "cost-aggregator",
        normalise(
            ConfigValues.keysReadBy(
                () ->
                    CostAggregatorConfig.fromMap(
                        effective.get("cost-aggregator"), ConfigFiles.disk()))));
    out.put(
        "dlq-handler",
        normalise(
            ConfigValues.keysReadBy(
                () ->
                    DlqConfig.fromMap(
                        effective.get("dlq-handler"), Map.of(), ConfigFiles.disk()))));
    Map<String, String> sim =
        Map.of(
            "sim.script.income.match",
            "income",
            "sim.script.income.final-if.1.match",
            "w-2",
            "sim.script.income.final-if.1.answer",
            "{}");
    out.put(
        "provider-simulator",
        normalise(
            ConfigValues.keysReadBy(
                () ->
                    SimulatorConfig.fromMap(
                        ConfigLoader.overlay(SimulatorConfig.defaults(), sim),
                        ConfigFiles.disk()))));
    return out;
  }

  static final List<String> ROUTES =
      List.of("income", "banking", "identity", "property", "fraud", "triage");

  static Set<String> normalise(Set<String> keys) {
    Set<String> out = new TreeSet<>();
    for (String k : keys) {
      String n = k;
      for (String r : ROUTES) {
        n =
            n.replace(".route." + r + ".", ".route.<route>.")
                .replace("script." + r + ".", "script.<name>.");
      }
      n =
          n.replaceAll("^worker\\.provider\\.(anthropic|openai)\\.", "worker.provider.<provider>.")
              // model names may hold dots (gpt-4.1): the key's own part is the known suffix
              .replaceAll(
                  "^worker\\.model\\.(.+)\\.(context-window|tier)$", "worker.model.<model>.$2")
              .replaceAll(
                  "^sim\\.model\\.(.+)\\.(latency|jitter|context-window|retry-after|timeout-delay"
                      + "|cache\\.min-tokens|fault\\.[^.]+)$",
                  "sim.model.<model>.$2")
              .replaceAll("final-if\\.\\d+\\.", "final-if.<n>.")
              .replaceAll("\\.fault\\.[^.]+$", ".fault.<kind>")
              .replaceAll("^budget\\.(route|tenant)\\.[^.]+\\.", "budget.$1.<name>.");
      out.add(n);
    }
    return out;
  }

  /** The keys of a service's table in the reference: first column, in backquotes. */
  static Set<String> documented(String markdown, String service) {
    return documentedDefaults(markdown, service).keySet();
  }

  /**
   * A service's table in the reference: each key (first column) with its default column as written.
   */
  static Map<String, String> documentedDefaults(String markdown, String service) {
    int start = markdown.indexOf("\n## " + service);
    assertThat(start).as("docs/configuration.md has a section ## " + service).isNotNegative();
    int end = markdown.indexOf("\n## ", start + 4);
    String section = markdown.substring(start, end < 0 ? markdown.length() : end);
    Map<String, String> keys = new TreeMap<>();
    Matcher m = Pattern.compile("(?m)^\\| `([^`]+)` \\|([^|]*)\\|").matcher(section);
    while (m.find()) {
      keys.put(m.group(1), m.group(2).strip());
    }
    return keys;
  }

  /**
   * The default the reference gives each key of a service's defaults file is that file's value:
   * {@code `value`}, or an empty cell (or words, none in backquotes) for an empty value.
   */
  @Test
  void theReferenceGivesEachDefaultTheValueTheServiceRunsWith() throws Exception {
    String doc = Files.readString(DeployFiles.ROOT.resolve("docs/configuration.md"));
    effective()
        .forEach(
            (service, config) -> {
              Map<String, String> listed = documentedDefaults(doc, service);
              Map<String, String> wrong = new TreeMap<>();
              config.forEach(
                  (key, value) -> {
                    String shown = listed.get(key);
                    if (shown == null) {
                      return; // a per-route/provider/model entry: listed under its placeholder,
                      // with its own default per name
                    }
                    String expected = value.isBlank() ? "" : "`" + value.strip() + "`";
                    boolean matches =
                        value.isBlank() ? !shown.contains("`") : shown.equals(expected);
                    if (!matches) {
                      wrong.put(
                          key,
                          "file: "
                              + (value.isBlank() ? "(empty)" : expected)
                              + ", reference: "
                              + (shown.isEmpty() ? "(empty)" : shown));
                    }
                  });
              assertThat(wrong)
                  .as(
                      "defaults docs/configuration.md gives for "
                          + service
                          + " that differ from its defaults file")
                  .isEmpty();
            });
  }

  @Test
  void theReferenceListsExactlyTheKeysEachServiceReads() throws Exception {
    String doc = Files.readString(DeployFiles.ROOT.resolve("docs/configuration.md"));
    keysRead()
        .forEach(
            (service, keys) -> {
              Set<String> listed = documented(doc, service);
              assertThat(listed)
                  .as("keys " + service + " reads that docs/configuration.md does not list")
                  .containsAll(keys);
              // a listed key must be read, or fall under a prefix the service reads as a whole
              // (budget.*, worker.provider.*)
              assertThat(
                      listed.stream()
                          .filter(k -> !keys.contains(k))
                          .filter(
                              k ->
                                  keys.stream()
                                      .noneMatch(
                                          r ->
                                              r.endsWith("*")
                                                  && k.startsWith(r.substring(0, r.length() - 1))))
                          .toList())
                  .as("keys docs/configuration.md lists for " + service + " that nothing reads")
                  .isEmpty();
            });
  }
}
