package dev.agentyard.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.cost.CostAggregatorConfig;
import dev.agentyard.dlq.DlqConfig;
import dev.agentyard.router.RouterConfig;
import dev.agentyard.runtime.config.ConfigValues;
import dev.agentyard.simulator.SimulatorConfig;
import dev.agentyard.workers.WorkerConfig;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md lists every key each service reads, with its default and meaning. This
 * test builds each service's config from its defaults while recording the keys it reads, and fails
 * when the reference lists a key no service reads or misses one a service reads.
 */
class ConfigurationReferenceTest {

  static final Map<String, String> CLUSTER = Map.of("kafka.bootstrap.servers", "localhost:9092", "schema.registry.url",
      "http://localhost:8081");

  /** Keys each service reads, with route, provider, model and tenant names replaced by placeholders. */
  static Map<String, Set<String>> keysRead() {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    Map<String, String> router = new HashMap<>(RouterConfig.defaults());
    router.putAll(CLUSTER);
    out.put("router-service", normalise(ConfigValues.keysReadBy(() -> RouterConfig.fromMap(router))));
    Map<String, String> workers = new HashMap<>(WorkerConfig.defaults());
    workers.putAll(CLUSTER);
    out.put("agent-workers", normalise(ConfigValues.keysReadBy(() -> WorkerConfig.fromMap(workers, Map.of()))));
    Map<String, String> cost = new HashMap<>(CLUSTER);
    cost.put("budget.route.income.daily", "50000000");
    out.put("cost-aggregator", normalise(ConfigValues.keysReadBy(() -> CostAggregatorConfig.fromMap(cost))));
    Map<String, String> dlq = new HashMap<>(DlqConfig.defaults());
    out.put("dlq-handler", normalise(ConfigValues.keysReadBy(() -> DlqConfig.fromMap(dlq, Map.of()))));
    Map<String, String> sim = Map.of("sim.script.income.match", "income", "sim.script.income.final-if.1.match", "w-2",
        "sim.script.income.final-if.1.answer", "{}");
    out.put("provider-simulator", normalise(ConfigValues.keysReadBy(() -> SimulatorConfig.fromMap(sim))));
    return out;
  }

  static final List<String> ROUTES = List.of("income", "banking", "identity", "property", "fraud", "triage");

  static Set<String> normalise(Set<String> keys) {
    Set<String> out = new TreeSet<>();
    for (String k : keys) {
      String n = k;
      for (String r : ROUTES) {
        n = n.replace(".route." + r + ".", ".route.<route>.").replace("script." + r + ".", "script.<name>.");
      }
      n = n.replaceAll("^worker\\.provider\\.(anthropic|openai)\\.", "worker.provider.<provider>.")
          .replaceAll("^worker\\.model\\.[^.]+\\.", "worker.model.<model>.")
          .replaceAll("^sim\\.model\\.[^.]+\\.", "sim.model.<model>.")
          .replaceAll("final-if\\.\\d+\\.", "final-if.<n>.")
          .replaceAll("\\.fault\\.[^.]+$", ".fault.<kind>")
          .replaceAll("^budget\\.(route|tenant)\\.[^.]+\\.", "budget.$1.<name>.");
      out.add(n);
    }
    return out;
  }

  /** The keys of a service's table in the reference: first column, in backquotes. */
  static Set<String> documented(String markdown, String service) {
    int start = markdown.indexOf("\n## " + service);
    assertThat(start).as("docs/configuration.md has a section ## " + service).isNotNegative();
    int end = markdown.indexOf("\n## ", start + 4);
    String section = markdown.substring(start, end < 0 ? markdown.length() : end);
    Set<String> keys = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `([^`]+)`").matcher(section);
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }

  @Test
  void theReferenceListsExactlyTheKeysEachServiceReads() throws Exception {
    String doc = Files.readString(DeployFiles.ROOT.resolve("docs/configuration.md"));
    keysRead().forEach((service, keys) -> {
      Set<String> listed = documented(doc, service);
      assertThat(listed).as("keys " + service + " reads that docs/configuration.md does not list").containsAll(keys);
      // a listed key must be read, or fall under a prefix the service reads as a whole (budget.*, worker.provider.*)
      assertThat(listed.stream().filter(k -> !keys.contains(k)).filter(k -> keys.stream()
          .noneMatch(r -> r.endsWith("*") && k.startsWith(r.substring(0, r.length() - 1)))).toList())
          .as("keys docs/configuration.md lists for " + service + " that nothing reads").isEmpty();
    });
  }
}
