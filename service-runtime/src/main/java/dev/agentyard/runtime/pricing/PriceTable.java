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
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * A versioned price list: model to {@link ModelPrice}. Workers price every call with it and stamp
 * the version on the usage event; the cost aggregator re-prices raw usage with a corrected table.
 *
 * <p>File format (properties): {@code version=2026-11-01} and, per model, {@code
 * model.<name>.input|output|cache-read|cache-write=<micro-USD per million tokens>}.
 *
 * <p>Cost of a call = (input × input price + output × output price + cache reads × cache-read price
 * + cache writes × cache-write price) / 1,000,000, rounded half up to a whole micro-USD, per call:
 * the provider bills each request, so rounding per call matches the bill.
 */
public final class PriceTable {

  private static final long PER = 1_000_000L;

  private final String version;
  private final Map<String, ModelPrice> prices;

  public PriceTable(String version, Map<String, ModelPrice> prices) {
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException("a price table needs a version");
    }
    this.version = version;
    this.prices = Map.copyOf(prices);
  }

  public String version() {
    return version;
  }

  public Optional<ModelPrice> price(String model) {
    return Optional.ofNullable(prices.get(model));
  }

  public Set<String> models() {
    return new TreeSet<>(prices.keySet());
  }

  /** Cost of one call in micro-USD; empty when the model has no price in this table. */
  public Optional<Long> cost(
      String model, long input, long output, long cacheRead, long cacheWrite) {
    return price(model)
        .map(
            p -> {
              long picoish =
                  Math.addExact(
                      Math.addExact(
                          Math.multiplyExact(input, p.inputPerMTok()),
                          Math.multiplyExact(output, p.outputPerMTok())),
                      Math.addExact(
                          Math.multiplyExact(cacheRead, p.cacheReadPerMTok()),
                          Math.multiplyExact(cacheWrite, p.cacheWritePerMTok())));
              return (picoish + PER / 2) / PER;
            });
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
    for (String key : p.stringPropertyNames()) {
      if (!key.startsWith("model.")) {
        continue;
      }
      int last = key.lastIndexOf('.');
      String model = key.substring("model.".length(), last);
      int slot =
          switch (key.substring(last + 1)) {
            case "input" -> 0;
            case "output" -> 1;
            case "cache-read" -> 2;
            case "cache-write" -> 3;
            default ->
                throw new InvalidConfigException(
                    key, "kind must be input, output, cache-read or cache-write (" + source + ")");
          };
      try {
        raw.computeIfAbsent(model, m -> new long[] {-1, -1, -1, -1})[slot] =
            Long.parseLong(p.getProperty(key).trim());
      } catch (NumberFormatException e) {
        throw new InvalidConfigException(
            key, "must be whole micro-USD per million tokens (" + source + ")");
      }
    }
    Map<String, ModelPrice> prices = new HashMap<>();
    raw.forEach(
        (model, v) -> {
          for (long x : v) {
            if (x < 0) {
              throw new InvalidConfigException(
                  "model." + model,
                  "needs input, output, cache-read and cache-write prices (" + source + ")");
            }
          }
          prices.put(model, new ModelPrice(v[0], v[1], v[2], v[3]));
        });
    return new PriceTable(version.trim(), prices);
  }
}
