package dev.agentyard.router;

import dev.agentyard.avro.ModelTier;
import dev.agentyard.router.content.ContentLimits;
import dev.agentyard.router.content.PdfText;
import dev.agentyard.router.routing.RouteSpec;
import dev.agentyard.router.routing.RouteTable;
import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.runtime.config.ConfigValues;
import dev.agentyard.runtime.config.InvalidConfigException;
import dev.agentyard.runtime.kafka.KafkaSettings;
import dev.agentyard.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The router's configuration, immutable and validated when built from the effective configuration
 * (the bundled defaults {@code agentyard-router-defaults.properties} overlaid with the service's
 * file and environment by {@link ConfigLoader}).
 *
 * @param applicationId Kafka Streams application id ({@code router.application.id})
 * @param routes the registered routes ({@code router.routes}, {@code router.route.<r>.*}, {@code
 *     router.triage.*}, {@code router.hints.honour})
 * @param limits what a document may be ({@code router.document.*})
 * @param dedupWindow a task id seen again within this window is routed once ({@code
 *     router.dedup.window})
 * @param triageTimeout a document in triage with no verdict by then goes to review ({@code
 *     router.triage.timeout})
 * @param triageSweepInterval how often waiting triage documents are checked for that timeout
 * @param modelFile a classifier model written by the corpus tools' {@code train} ({@code
 *     router.classifier.model-file}); empty: the model built with the router
 * @param corpusDir a labelled corpus to train the classifier from at start ({@code
 *     router.classifier.corpus-dir}), when no model file is given
 * @param followRegistry whether the router runs the registry's {@code current} classifier
 *     (agent.router.models.v1) and follows promotions and rollbacks ({@code
 *     router.classifier.registry.follow}); never when a model file or corpus directory pins one
 * @param labels whether trusted triage verdicts are written to agent.router.labels.v1 as labelled
 *     examples for retraining ({@code router.labels.enabled})
 * @param controlPollInterval how often the global stop is re-checked (expiry included)
 * @param startupCatchUp how long start-up waits to read the control topic before routing anything
 * @param httpHost ops HTTP bind address ({@code http.host})
 * @param httpPort ops HTTP port ({@code http.port}; 0 picks one)
 * @param kafka how to reach Kafka and the registry
 */
public record RouterConfig(
    String applicationId,
    RouteTable routes,
    ContentLimits limits,
    Duration dedupWindow,
    Duration triageTimeout,
    Duration triageSweepInterval,
    Optional<Path> modelFile,
    Optional<Path> corpusDir,
    boolean followRegistry,
    boolean labels,
    Duration controlPollInterval,
    Duration startupCatchUp,
    String httpHost,
    int httpPort,
    KafkaSettings kafka) {

  public static final String SERVICE = "router-service";

  /** PDF extraction with the default page limit, for the offline tools (train, eval). */
  public static final PdfText DEFAULT_PDF =
      new PdfText(Integer.parseInt(defaults().get("router.document.pdf-max-pages")));

  /**
   * The bundled defaults ({@code agentyard-router-defaults.properties}): the only place a default
   * lives.
   */
  public static Map<String, String> defaults() {
    return ConfigLoader.defaults(RouterConfig.class, "/agentyard-router-defaults.properties");
  }

  /**
   * The effective configuration of the defaults overlaid with {@code settings} (as a config file
   * would hold them).
   */
  public static Map<String, String> effective(Map<String, String> settings) {
    return ConfigLoader.overlay(defaults(), settings);
  }

  /** The config of the defaults overlaid with {@code settings} (tests and tools). */
  public static RouterConfig withDefaults(Map<String, String> settings) {
    return fromMap(effective(settings));
  }

  /**
   * Builds the config from the effective map (defaults included, see {@link ConfigLoader}); no I/O.
   */
  public static RouterConfig fromMap(Map<String, String> map) {
    ConfigValues c = new ConfigValues(map);

    List<String> names = c.list("router.routes", List.of());
    if (names.isEmpty()) {
      throw new InvalidConfigException("router.routes", "must name at least one route");
    }
    double threshold =
        fraction(
            c,
            "router.classifier.confidence-threshold",
            c.required("router.classifier.confidence-threshold"));
    Map<String, RouteSpec> routes = new LinkedHashMap<>();
    for (String r : names) {
      try {
        Topics.route(r);
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException("router.routes", e.getMessage());
      }
      String p = "router.route." + r + ".";
      routes.put(
          r,
          new RouteSpec(
              r,
              c.string(p + "topic", Topics.route(r).name()),
              tier(c, p + "tier", c.string(p + "tier", "SMALL")),
              tiersBySize(c, p + "tier-by-size"),
              c.bool(p + "enabled", true),
              fraction(
                  c,
                  p + "confidence-threshold",
                  c.string(p + "confidence-threshold", Double.toString(threshold))),
              new HashSet<>(
                  map.containsKey(p + "classes") ? c.list(p + "classes", List.of()) : List.of(r)),
              fanOut(c, p + "fan-out")));
    }
    RouteTable table;
    try {
      table =
          new RouteTable(
              routes,
              c.required("router.triage.route"),
              fraction(
                  c, "router.triage.min-confidence", c.required("router.triage.min-confidence")),
              c.bool("router.hints.honour"));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("router.routes", e.getMessage());
    }

    ContentLimits limits =
        new ContentLimits(
            c.longValue("router.document.max-inline-bytes", 1, 64L * 1024 * 1024),
            c.longValue("router.document.max-fetch-bytes", 1, 1024L * 1024 * 1024),
            c.intValue("router.document.max-text-chars", 1, 64 * 1024 * 1024),
            new HashSet<>(
                c.list("router.document.media-types", List.of()).stream()
                    .map(s -> s.toLowerCase(Locale.ROOT))
                    .toList()),
            c.duration("router.document.fetch-timeout"),
            c.list("router.document.file-roots", List.of()).stream().map(Path::of).toList(),
            new HashSet<>(
                c.list("router.document.allowed-hosts", List.of()).stream()
                    .map(s -> s.toLowerCase(Locale.ROOT))
                    .toList()),
            c.intValue("router.document.pdf-max-pages", 1, 10_000),
            c.longValue("router.document.pdf-cache-chars", 0, Long.MAX_VALUE));

    return new RouterConfig(
        c.required("router.application.id"),
        table,
        limits,
        c.duration("router.dedup.window"),
        c.duration("router.triage.timeout"),
        c.duration("router.triage.sweep-interval"),
        c.optional("router.classifier.model-file").map(Path::of),
        c.optional("router.classifier.corpus-dir").map(Path::of),
        c.bool("router.classifier.registry.follow"),
        c.bool("router.labels.enabled"),
        c.duration("router.control.poll-interval"),
        c.duration("router.startup.catch-up"),
        c.required("http.host"),
        c.intValue("http.port", 0, 65_535),
        KafkaSettings.fromConfig(c));
  }

  private static double fraction(ConfigValues c, String key, String v) {
    try {
      double d = Double.parseDouble(v.trim());
      if (d < 0 || d > 1) {
        throw new InvalidConfigException(key, "must be between 0 and 1, got " + v);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(key, "must be a number between 0 and 1, got '" + v + "'");
    }
  }

  private static ModelTier tier(ConfigValues c, String key, String value) {
    try {
      ModelTier t = ModelTier.valueOf(value.trim().toUpperCase(Locale.ROOT));
      if (t == ModelTier.UNKNOWN) {
        throw new IllegalArgumentException();
      }
      return t;
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException(key, "must be SMALL, MEDIUM or LARGE, got '" + value + "'");
    }
  }

  private static TreeMap<Integer, ModelTier> tiersBySize(ConfigValues c, String key) {
    TreeMap<Integer, ModelTier> out = new TreeMap<>();
    for (String entry : c.list(key, List.of())) {
      String[] kv = entry.split(":");
      if (kv.length != 2) {
        throw new InvalidConfigException(
            key, "entries are <characters>:<tier>, got '" + entry + "'");
      }
      try {
        out.put(Integer.parseInt(kv[0].trim()), tier(c, key, kv[1]));
      } catch (NumberFormatException e) {
        throw new InvalidConfigException(key, "'" + kv[0] + "' is not a number of characters");
      }
    }
    return out;
  }

  private static List<RouteSpec.FanOut> fanOut(ConfigValues c, String key) {
    List<RouteSpec.FanOut> out = new ArrayList<>();
    for (String entry : c.list(key, List.of())) {
      String[] kv = entry.split(":");
      try {
        out.add(
            new RouteSpec.FanOut(
                kv[0].trim(), kv.length > 1 ? Double.parseDouble(kv[1].trim()) : 1.0));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(
            key, "entries are <route>[:<share 0..1>], got '" + entry + "'");
      }
    }
    return out;
  }

  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("applicationId", applicationId);
    shown.put("kafka", kafka.toString());
    routes
        .byName()
        .values()
        .forEach(
            r ->
                shown.put(
                    "route." + r.name(),
                    (r.enabled() ? "" : "DISABLED ")
                        + r.topic()
                        + " tier="
                        + r.tier()
                        + (r.tierBySize().isEmpty() ? "" : " bySize=" + r.tierBySize())
                        + " classes="
                        + r.classes()
                        + " threshold="
                        + r.confidenceThreshold()
                        + (r.fanOut().isEmpty() ? "" : " fanOut=" + r.fanOut())));
    shown.put(
        "triage",
        routes.triageRoute()
            + " minConfidence="
            + routes.triageMinConfidence()
            + " timeout="
            + triageTimeout);
    shown.put("hints", routes.honourHints() ? "honoured for registered routes" : "ignored");
    shown.put(
        "documents",
        "inline<="
            + limits.maxInlineBytes()
            + "B fetch<="
            + limits.maxFetchBytes()
            + "B text<="
            + limits.maxTextChars()
            + " types="
            + limits.mediaTypes()
            + " fileRoots="
            + limits.fileRoots()
            + " hosts="
            + (limits.allowedHosts().isEmpty() ? "any" : limits.allowedHosts()));
    shown.put("dedupWindow", dedupWindow.toString());
    shown.put(
        "classifier",
        modelFile
            .map(Path::toString)
            .or(() -> corpusDir.map(d -> "trained from " + d))
            .orElse("built with the router"));
    return "RouterConfig" + shown;
  }
}
