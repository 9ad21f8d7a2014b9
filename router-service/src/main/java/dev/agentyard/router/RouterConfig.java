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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The router's configuration, immutable and validated when built from the bundled defaults
 * ({@code agentyard-router-defaults.properties}) overlaid with the service's config.
 *
 * @param applicationId Kafka Streams application id ({@code router.application.id})
 * @param routes the registered routes ({@code router.routes}, {@code router.route.<r>.*}, {@code router.triage.*},
 *     {@code router.hints.honour})
 * @param limits what a document may be ({@code router.document.*})
 * @param dedupWindow a task id seen again within this window is routed once ({@code router.dedup.window})
 * @param triageTimeout a document in triage with no verdict by then goes to review ({@code router.triage.timeout})
 * @param triageSweepInterval how often waiting triage documents are checked for that timeout
 * @param modelFile a classifier model written by {@code router train} ({@code router.classifier.model-file});
 *     empty trains one from the bundled corpus at start-up
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
    Duration controlPollInterval,
    Duration startupCatchUp,
    String httpHost,
    int httpPort,
    KafkaSettings kafka) {

  public static final String SERVICE = "router-service";
  public static final String DEFAULT_APPLICATION_ID = "agentyard-router";
  public static final double DEFAULT_CONFIDENCE_THRESHOLD = 0.6;
  public static final double DEFAULT_TRIAGE_MIN_CONFIDENCE = 0.6;
  public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofHours(24);
  public static final Duration DEFAULT_TRIAGE_TIMEOUT = Duration.ofHours(1);
  public static final Duration DEFAULT_TRIAGE_SWEEP_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CONTROL_POLL_INTERVAL = Duration.ofMillis(500);
  public static final Duration DEFAULT_STARTUP_CATCH_UP = Duration.ofSeconds(60);
  public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
  public static final int DEFAULT_HTTP_PORT = 8082;
  /** PDF extraction used by the offline tools (train, eval) with the default page limit. */
  public static final PdfText DEFAULT_PDF = new PdfText(ContentLimits.DEFAULT_PDF_MAX_PAGES);

  /** The bundled defaults, as a map. */
  public static Map<String, String> defaults() {
    return ConfigLoader.resource(RouterConfig.class, "/agentyard-router-defaults.properties");
  }


  public static RouterConfig fromMap(Map<String, String> map) {
    Map<String, String> merged = new HashMap<>(defaults());
    merged.putAll(map);
    ConfigValues c = new ConfigValues(merged);

    List<String> names = c.list("router.routes", List.of());
    if (names.isEmpty()) {
      throw new InvalidConfigException("router.routes", "must name at least one route");
    }
    double threshold = fraction(c, "router.classifier.confidence-threshold", DEFAULT_CONFIDENCE_THRESHOLD);
    Map<String, RouteSpec> routes = new LinkedHashMap<>();
    for (String r : names) {
      try {
        Topics.route(r);
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException("router.routes", e.getMessage());
      }
      String p = "router.route." + r + ".";
      routes.put(r, new RouteSpec(r, c.string(p + "topic", Topics.route(r).name()), tier(c, p + "tier", c.string(p + "tier", "SMALL")),
          tiersBySize(c, p + "tier-by-size"), c.bool(p + "enabled", true), fraction(c, p + "confidence-threshold", threshold),
          new HashSet<>(merged.containsKey(p + "classes") ? c.list(p + "classes", List.of()) : List.of(r)), fanOut(c, p + "fan-out")));
    }
    RouteTable table;
    try {
      table = new RouteTable(routes, c.string("router.triage.route", "triage"),
          fraction(c, "router.triage.min-confidence", DEFAULT_TRIAGE_MIN_CONFIDENCE), c.bool("router.hints.honour", true));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigException("router.routes", e.getMessage());
    }

    ContentLimits limits = new ContentLimits(
        c.longValue("router.document.max-inline-bytes", ContentLimits.DEFAULT_MAX_INLINE_BYTES, 1, 64L * 1024 * 1024),
        c.longValue("router.document.max-fetch-bytes", ContentLimits.DEFAULT_MAX_FETCH_BYTES, 1, 1024L * 1024 * 1024),
        c.intValue("router.document.max-text-chars", ContentLimits.DEFAULT_MAX_TEXT_CHARS, 1, 64 * 1024 * 1024),
        new HashSet<>(c.list("router.document.media-types", List.copyOf(ContentLimits.DEFAULT_MEDIA_TYPES)).stream()
            .map(s -> s.toLowerCase(Locale.ROOT)).toList()),
        c.duration("router.document.fetch-timeout", ContentLimits.DEFAULT_FETCH_TIMEOUT),
        c.list("router.document.file-roots", List.of()).stream().map(Path::of).toList(),
        new HashSet<>(c.list("router.document.allowed-hosts", List.of()).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList()),
        c.intValue("router.document.pdf-max-pages", ContentLimits.DEFAULT_PDF_MAX_PAGES, 1, 10_000));

    return new RouterConfig(
        c.string("router.application.id", DEFAULT_APPLICATION_ID),
        table,
        limits,
        c.duration("router.dedup.window", DEFAULT_DEDUP_WINDOW),
        c.duration("router.triage.timeout", DEFAULT_TRIAGE_TIMEOUT),
        c.duration("router.triage.sweep-interval", DEFAULT_TRIAGE_SWEEP_INTERVAL),
        c.optional("router.classifier.model-file").filter(s -> !s.isBlank()).map(Path::of),
        c.duration("router.control.poll-interval", DEFAULT_CONTROL_POLL_INTERVAL),
        c.duration("router.startup.catch-up", DEFAULT_STARTUP_CATCH_UP),
        c.string("http.host", DEFAULT_HTTP_HOST),
        c.intValue("http.port", DEFAULT_HTTP_PORT, 0, 65_535),
        KafkaSettings.fromConfig(c, SERVICE));
  }

  private static double fraction(ConfigValues c, String key, double dflt) {
    String v = c.string(key, Double.toString(dflt));
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
        throw new InvalidConfigException(key, "entries are <characters>:<tier>, got '" + entry + "'");
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
        out.add(new RouteSpec.FanOut(kv[0].trim(), kv.length > 1 ? Double.parseDouble(kv[1].trim()) : 1.0));
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(key, "entries are <route>[:<share 0..1>], got '" + entry + "'");
      }
    }
    return out;
  }

  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>();
    shown.put("applicationId", applicationId);
    shown.put("kafka", kafka.toString());
    routes.byName().values().forEach(r -> shown.put("route." + r.name(), (r.enabled() ? "" : "DISABLED ") + r.topic() + " tier="
        + r.tier() + (r.tierBySize().isEmpty() ? "" : " bySize=" + r.tierBySize()) + " classes=" + r.classes() + " threshold="
        + r.confidenceThreshold() + (r.fanOut().isEmpty() ? "" : " fanOut=" + r.fanOut())));
    shown.put("triage", routes.triageRoute() + " minConfidence=" + routes.triageMinConfidence() + " timeout=" + triageTimeout);
    shown.put("hints", routes.honourHints() ? "honoured for registered routes" : "ignored");
    shown.put("documents", "inline<=" + limits.maxInlineBytes() + "B fetch<=" + limits.maxFetchBytes() + "B text<="
        + limits.maxTextChars() + " types=" + limits.mediaTypes() + " fileRoots=" + limits.fileRoots() + " hosts="
        + (limits.allowedHosts().isEmpty() ? "any" : limits.allowedHosts()));
    shown.put("dedupWindow", dedupWindow.toString());
    shown.put("classifier", modelFile.map(Path::toString).orElse("trained from the bundled corpus"));
    return "RouterConfig" + shown;
  }
}
