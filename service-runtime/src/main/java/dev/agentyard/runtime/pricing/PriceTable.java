package dev.agentyard.runtime.pricing;

import dev.agentyard.runtime.config.ConfigFiles;
import dev.agentyard.runtime.config.InvalidConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * A versioned price list: model to {@link ModelPrice}, with the two things that change a model's
 * price for one call: a long-context rate above a prompt size, and a service tier (batch, priority,
 * data residency) that scales the whole call. Workers price every call with it and stamp the
 * version on the usage event; the cost aggregator re-prices raw usage with a corrected table.
 *
 * <p>File format (properties), prices in micro-USD per million tokens:
 *
 * <pre>
 * version=2026-12-01
 * model.NAME.input|output|cache-read|cache-write=...     (cache-write: 5-minute writes)
 * model.NAME.cache-write-1h=...                            (optional; default 2 x input)
 * model.NAME.long-context.above=200000                     (optional: prompt tokens above which
 * model.NAME.long-context.input|output|cache-read|...=...   every token of the call has these rates)
 * tier.NAME.percent=50                                     (a service tier: percent of the price)
 * model.NAME.tier.TIER.percent=110                         (that tier for one model only)
 * </pre>
 *
 * <p>Cost of a call = sum over token kinds of tokens × rate (the long-context rates when the
 * prompt, cache reads and writes included, is above the model's threshold), × the tier's percent /
 * 100, / 1,000,000, rounded half up to a whole micro-USD, per call: the provider bills each
 * request, so rounding per call matches the bill.
 */
public final class PriceTable {

  /** The tier of a call made with no service tier named: 100 percent. */
  public static final String STANDARD = "standard";

  private static final long PER = 1_000_000L;

  /** A model's long-context rates, which apply to a call whose prompt is above {@code above}. */
  public record LongContext(long above, ModelPrice price) {}

  private final String version;
  private final Map<String, ModelPrice> prices;
  private final Map<String, LongContext> longContext;
  private final Map<String, Long> tierPercent;
  private final Map<String, Long> modelTierPercent;

  public PriceTable(String version, Map<String, ModelPrice> prices) {
    this(version, prices, Map.of(), Map.of(), Map.of());
  }

  /**
   * @param longContext per model, when it has long-context rates
   * @param tierPercent per tier name, percent of the standard price
   * @param modelTierPercent per {@code model + "|" + tier}, overriding the tier for that model
   */
  public PriceTable(
      String version,
      Map<String, ModelPrice> prices,
      Map<String, LongContext> longContext,
      Map<String, Long> tierPercent,
      Map<String, Long> modelTierPercent) {
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException("a price table needs a version");
    }
    this.version = version;
    this.prices = Map.copyOf(prices);
    this.longContext = Map.copyOf(longContext);
    this.tierPercent = Map.copyOf(tierPercent);
    this.modelTierPercent = Map.copyOf(modelTierPercent);
  }

  public String version() {
    return version;
  }

  public Optional<ModelPrice> price(String model) {
    return Optional.ofNullable(prices.get(model));
  }

  public Optional<LongContext> longContext(String model) {
    return Optional.ofNullable(longContext.get(model));
  }

  public Set<String> models() {
    return new TreeSet<>(prices.keySet());
  }

  /** The tiers this table prices, {@value #STANDARD} included. */
  public Set<String> tiers() {
    Set<String> tiers = new TreeSet<>(tierPercent.keySet());
    tiers.add(STANDARD);
    for (String key : modelTierPercent.keySet()) {
      tiers.add(key.substring(key.indexOf('|') + 1));
    }
    return tiers;
  }

  /**
   * Cost of one standard-tier call whose cache writes are all 5-minute writes, in micro-USD; empty
   * when the model has no price in this table.
   */
  public Optional<Long> cost(
      String model, long input, long output, long cacheRead, long cacheWrite) {
    return cost(model, new BilledTokens(input, output, cacheRead, cacheWrite, 0), STANDARD);
  }

  /**
   * Cost of one call in micro-USD; empty when the model has no price in this table or the tier is
   * not one it knows ({@code null} or blank is {@value #STANDARD}).
   */
  public Optional<Long> cost(String model, BilledTokens t, String tier) {
    ModelPrice base = prices.get(model);
    if (base == null) {
      return Optional.empty();
    }
    OptionalLong percent = percent(model, tier);
    if (percent.isEmpty()) {
      return Optional.empty();
    }
    LongContext lc = longContext.get(model);
    ModelPrice p = lc != null && t.promptTokens() > lc.above() ? lc.price() : base;
    long picoish =
        Math.addExact(
            Math.addExact(
                Math.addExact(
                    Math.multiplyExact(t.input(), p.inputPerMTok()),
                    Math.multiplyExact(t.output(), p.outputPerMTok())),
                Math.addExact(
                    Math.multiplyExact(t.cacheRead(), p.cacheReadPerMTok()),
                    Math.multiplyExact(t.cacheWrite5m(), p.cacheWritePerMTok()))),
            Math.multiplyExact(t.cacheWrite1h(), p.cacheWrite1hPerMTok()));
    long scale = Math.multiplyExact(PER, 100);
    return Optional.of((Math.multiplyExact(picoish, percent.getAsLong()) + scale / 2) / scale);
  }

  private OptionalLong percent(String model, String tier) {
    if (tier == null || tier.isBlank() || tier.equals(STANDARD)) {
      Long own = modelTierPercent.get(model + "|" + STANDARD);
      return OptionalLong.of(own == null ? 100 : own);
    }
    Long own = modelTierPercent.get(model + "|" + tier);
    if (own != null) {
      return OptionalLong.of(own);
    }
    Long all = tierPercent.get(tier);
    return all == null ? OptionalLong.empty() : OptionalLong.of(all);
  }

  /** Reads a table from a properties file. */
  public static PriceTable load(Path file) {
    return load("pricing.table", file, ConfigFiles.disk());
  }

  /** The table in the file config key {@code key} names, read through {@code files}. */
  public static PriceTable load(String key, Path file, ConfigFiles files) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(files.read(key, file)));
    } catch (IOException e) {
      throw new InvalidConfigException(key, "cannot parse " + file + ": " + e.getMessage());
    }
    return fromProperties(p, file.toString());
  }

  /**
   * The table bundled with this release (an example; set your negotiated prices with
   * pricing.table).
   */
  public static PriceTable bundled() {
    try (InputStream in = PriceTable.class.getResourceAsStream("/pricing/default.properties")) {
      Properties p = new Properties();
      p.load(in);
      return fromProperties(p, "bundled price table");
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("bundled price table missing", e);
    }
  }

  static PriceTable fromProperties(Properties p, String source) {
    String version = p.getProperty("version");
    if (version == null || version.isBlank()) {
      throw new InvalidConfigException("version", "missing in " + source);
    }
    Map<String, long[]> raw = new HashMap<>();
    Map<String, long[]> rawLong = new HashMap<>();
    Map<String, Long> above = new HashMap<>();
    Map<String, Long> tiers = new HashMap<>();
    Map<String, Long> modelTiers = new HashMap<>();
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith("tier.")) {
        if (!key.endsWith(".percent")) {
          throw new InvalidConfigException(key, "a tier has only a percent (" + source + ")");
        }
        tiers.put(
            key.substring("tier.".length(), key.length() - ".percent".length()),
            number(p, key, source));
        continue;
      }
      if (!key.startsWith("model.")) {
        continue;
      }
      String rest = key.substring("model.".length());
      int tierAt = rest.indexOf(".tier.");
      if (tierAt > 0) {
        if (!rest.endsWith(".percent")) {
          throw new InvalidConfigException(key, "a tier has only a percent (" + source + ")");
        }
        String tier =
            rest.substring(tierAt + ".tier.".length(), rest.length() - ".percent".length());
        modelTiers.put(rest.substring(0, tierAt) + "|" + tier, number(p, key, source));
        continue;
      }
      int longAt = rest.indexOf(".long-context.");
      Map<String, long[]> target = raw;
      if (longAt > 0) {
        String model = rest.substring(0, longAt);
        String kind = rest.substring(longAt + ".long-context.".length());
        if (kind.equals("above")) {
          above.put(model, number(p, key, source));
          continue;
        }
        rest = model + "." + kind;
        target = rawLong;
      }
      int last = rest.lastIndexOf('.');
      if (last <= 0) {
        throw new InvalidConfigException(key, "must be model.<name>.<kind> (" + source + ")");
      }
      String model = rest.substring(0, last);
      int slot =
          switch (rest.substring(last + 1)) {
            case "input" -> 0;
            case "output" -> 1;
            case "cache-read" -> 2;
            case "cache-write" -> 3;
            case "cache-write-1h" -> 4;
            default ->
                throw new InvalidConfigException(
                    key,
                    "kind must be input, output, cache-read, cache-write or cache-write-1h ("
                        + source
                        + ")");
          };
      target.computeIfAbsent(model, m -> new long[] {-1, -1, -1, -1, -1})[slot] =
          number(p, key, source);
    }
    Map<String, ModelPrice> prices = new HashMap<>();
    raw.forEach((model, v) -> prices.put(model, price("model." + model, v, source)));
    Map<String, LongContext> longContext = new HashMap<>();
    rawLong.forEach(
        (model, v) -> {
          if (!prices.containsKey(model) || !above.containsKey(model)) {
            throw new InvalidConfigException(
                "model." + model + ".long-context",
                "needs the model's standard prices and long-context.above (" + source + ")");
          }
          longContext.put(
              model,
              new LongContext(
                  above.get(model), price("model." + model + ".long-context", v, source)));
        });
    for (String model : above.keySet()) {
      if (!longContext.containsKey(model)) {
        throw new InvalidConfigException(
            "model." + model + ".long-context.above",
            "needs long-context input, output, cache-read and cache-write prices (" + source + ")");
      }
    }
    return new PriceTable(version.trim(), prices, longContext, tiers, modelTiers);
  }

  private static ModelPrice price(String key, long[] v, String source) {
    for (int i = 0; i < 4; i++) {
      if (v[i] < 0) {
        throw new InvalidConfigException(
            key, "needs input, output, cache-read and cache-write prices (" + source + ")");
      }
    }
    return v[4] < 0
        ? new ModelPrice(v[0], v[1], v[2], v[3])
        : new ModelPrice(v[0], v[1], v[2], v[3], v[4]);
  }

  private static long number(Properties p, String key, String source) {
    try {
      long n = Long.parseLong(p.getProperty(key).trim());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(
          key, "must be a whole number, not negative (" + source + ")");
    }
  }
}
