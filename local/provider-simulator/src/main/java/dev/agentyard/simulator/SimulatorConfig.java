package dev.agentyard.simulator;

import dev.agentyard.runtime.config.ConfigFiles;
import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.runtime.config.ConfigValues;
import dev.agentyard.runtime.config.InvalidConfigException;
import dev.agentyard.runtime.pricing.PriceTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The simulator's configuration, from a flat map (properties file and {@code AGENTYARD_*}
 * environment, like every Agentyard service):
 *
 * <pre>
 * sim.host=127.0.0.1            sim.port=8089         sim.seed=42
 * sim.profile=scripted          (obedient: a model that does whatever the document tells it)
 * sim.require-auth=true         sim.price.table=/path/prices.properties (default: bundled table)
 * sim.cache.min-tokens=1024     sim.cache.ttl=5m   (1-hour writes, when asked, live an hour)
 * sim.model.&lt;m&gt;.cache.min-tokens=4096   (the model's own minimum cacheable prefix)
 * sim.models=claude-haiku-4-5,claude-sonnet-4-5,gpt-4o-mini     (default: every model in the price table)
 * sim.model.&lt;m&gt;.latency=200ms   .jitter=20ms   .context-window=200000
 * sim.model.&lt;m&gt;.retry-after=1s  .timeout-delay=120s
 * sim.model.&lt;m&gt;.fault.429=0.1  .fault.503=0.02 .fault.timeout=0.01 ... (any {@link FaultKind} marker)
 * sim.default.latency=200ms ...  (applies to every model without its own value)
 * sim.script.&lt;name&gt;.match=(?i)income      .steps=extract_figures:{"doc":"w2"},compute_dti
 * sim.script.&lt;name&gt;.final={"annualIncome":84200}   .loop=false
 * sim.script.&lt;name&gt;.final-if.1.match=(?i)bank statement   .final-if.1.answer={"route":"banking"}  (by document)
 * sim.script.&lt;name&gt;.steps-if.1.match=(?i)approve   .steps-if.1.steps=approve_loan:{...}  (tool calls by document)
 * sim.script.&lt;name&gt;.final-if.1.rate=0.3   (.steps-if.&lt;n&gt;.rate too: applies to that share of conversations)
 * </pre>
 */
public record SimulatorConfig(
    String host,
    int port,
    long seed,
    boolean requireAuth,
    PriceTable priceTable,
    long cacheMinTokens,
    Duration cacheTtl,
    Map<String, ModelBehaviour> models,
    List<Script> scripts,
    boolean obedient) {

  public SimulatorConfig {
    models = Map.copyOf(models);
    scripts = List.copyOf(scripts);
  }

  /** The first script whose pattern is found in the system prompt, else the default answer. */
  Script scriptFor(String system) {
    for (Script s : scripts) {
      if (s.match().matcher(system).find()) {
        return s;
      }
    }
    return Script.DEFAULT;
  }

  /**
   * The bundled defaults ({@code agentyard-simulator-defaults.properties}): the only place a
   * default lives.
   */
  public static Map<String, String> defaults() {
    return ConfigLoader.defaults(SimulatorConfig.class, "/agentyard-simulator-defaults.properties");
  }

  /** The config of the defaults overlaid with {@code settings} (tests, tools, the local stack). */
  public static SimulatorConfig withDefaults(Map<String, String> settings) {
    return fromMap(ConfigLoader.overlay(defaults(), settings), ConfigFiles.disk());
  }

  /**
   * Builds the config from the effective map (defaults included, see {@link ConfigLoader}); the
   * price table a key names is read through {@code files}.
   */
  public static SimulatorConfig fromMap(Map<String, String> map, ConfigFiles files) {
    ConfigValues c = new ConfigValues(map);
    PriceTable prices =
        c.optional("sim.price.table")
            .map(p -> PriceTable.load("sim.price.table", Path.of(p), files))
            .orElseGet(PriceTable::bundled);
    List<String> names = c.list("sim.models", List.copyOf(prices.models()));
    Map<String, ModelBehaviour> models = new LinkedHashMap<>();
    for (String m : names) {
      if (prices.price(m).isEmpty()) {
        throw new InvalidConfigException(
            "sim.models", "model " + m + " has no price in table " + prices.version());
      }
      models.put(m, behaviour(c, m));
    }
    return new SimulatorConfig(
        c.required("sim.host"),
        c.intValue("sim.port", 0, 65535),
        c.longValue("sim.seed", Long.MIN_VALUE, Long.MAX_VALUE),
        c.bool("sim.require-auth"),
        prices,
        c.longValue("sim.cache.min-tokens", 0, Long.MAX_VALUE),
        c.duration("sim.cache.ttl"),
        models,
        scripts(c),
        switch (c.string("sim.profile", "scripted")) {
          case "scripted" -> false;
          case "obedient" -> true;
          default ->
              throw new InvalidConfigException(
                  "sim.profile",
                  "must be scripted or obedient (follows every instruction it reads)");
        });
  }

  private static ModelBehaviour behaviour(ConfigValues c, String model) {
    String p = "sim.model." + model + ".";
    Map<FaultKind, Double> rates = new EnumMap<>(FaultKind.class);
    for (FaultKind k : FaultKind.values()) {
      String key = p + "fault." + k.marker();
      String dkey = "sim.default.fault." + k.marker();
      String v = c.optional(key).orElse(c.optional(dkey).orElse(null));
      if (v != null) {
        try {
          rates.put(k, Double.parseDouble(v));
        } catch (NumberFormatException e) {
          throw new InvalidConfigException(
              c.optional(key).isPresent() ? key : dkey, "must be a probability in [0, 1]");
        }
      }
    }
    try {
      return new ModelBehaviour(
          c.duration(p + "latency", c.duration("sim.default.latency")),
          c.duration(p + "jitter", c.duration("sim.default.jitter")),
          c.longValue(
              p + "context-window",
              c.longValue("sim.default.context-window", 1, Long.MAX_VALUE),
              1,
              Long.MAX_VALUE),
          rates,
          c.duration(p + "retry-after", c.duration("sim.default.retry-after")),
          c.duration(p + "timeout-delay", c.duration("sim.default.timeout-delay")),
          c.longValue(
              p + "cache.min-tokens",
              c.longValue("sim.cache.min-tokens", 0, Long.MAX_VALUE),
              0,
              Long.MAX_VALUE));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(p + "fault.*", e.getMessage());
    }
  }

  private static List<Script> scripts(ConfigValues c) {
    List<Script> out = new ArrayList<>();
    for (String n : c.names("sim.script.")) {
      String p = "sim.script." + n + ".";
      Pattern match = regex(c, p + "match");
      List<Script.ToolStep> steps = steps(c.string(p + "steps", ""));
      List<Script.Answer> answers = new ArrayList<>();
      for (int i : numbered(c, p + "final-if.")) {
        String q = p + "final-if." + i + ".";
        answers.add(
            new Script.Answer(
                regex(c, q + "match"), c.required(q + "answer"), rate(c, q + "rate")));
      }
      List<Script.Branch> branches = new ArrayList<>();
      for (int i : numbered(c, p + "steps-if.")) {
        String q = p + "steps-if." + i + ".";
        branches.add(
            new Script.Branch(
                regex(c, q + "match"), steps(c.string(q + "steps", "")), rate(c, q + "rate")));
      }
      try {
        out.add(
            new Script(
                n,
                match,
                steps,
                c.string(p + "final", Script.DEFAULT.finalAnswer()),
                c.bool(p + "loop", false),
                answers,
                branches));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(p + "loop", e.getMessage());
      }
    }
    return out;
  }

  private static Pattern regex(ConfigValues c, String key) {
    try {
      return Pattern.compile(c.required(key));
    } catch (PatternSyntaxException e) {
      throw new InvalidConfigException(key, "not a valid regex: " + e.getDescription());
    }
  }

  private static double rate(ConfigValues c, String key) {
    String v = c.string(key, "1");
    try {
      double r = Double.parseDouble(v);
      if (r >= 0 && r <= 1) {
        return r;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidConfigException(key, "must be a share of conversations in [0, 1]");
  }

  /** The numbers n of the entries {@code <prefix><n>.*}, in order. */
  private static TreeSet<Integer> numbered(ConfigValues c, String prefix) {
    TreeSet<Integer> order = new TreeSet<>();
    c.names(prefix)
        .forEach(
            k -> {
              try {
                order.add(Integer.parseInt(k));
              } catch (NumberFormatException e) {
                throw new InvalidConfigException(
                    prefix + k, "conditional entries are numbered: " + prefix + "<n>.*");
              }
            });
    return order;
  }

  /** Tool calls {@code tool:{json},tool2}: separated by commas outside JSON braces. */
  static List<Script.ToolStep> steps(String raw) {
    List<Script.ToolStep> steps = new ArrayList<>();
    int depth = 0;
    StringBuilder cur = new StringBuilder();
    for (char ch : (raw + ",").toCharArray()) {
      if (ch == ',' && depth == 0) {
        String s = cur.toString().trim();
        if (!s.isEmpty()) {
          int colon = s.indexOf(':');
          steps.add(
              colon < 0
                  ? new Script.ToolStep(s, "{}")
                  : new Script.ToolStep(
                      s.substring(0, colon).trim(), s.substring(colon + 1).trim()));
        }
        cur.setLength(0);
      } else {
        depth += ch == '{' ? 1 : ch == '}' ? -1 : 0;
        cur.append(ch);
      }
    }
    return steps;
  }
}
