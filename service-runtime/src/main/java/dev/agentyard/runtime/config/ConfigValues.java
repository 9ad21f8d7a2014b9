package dev.agentyard.runtime.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, validating reads over a flat config map. Every failure names the key; secret values are
 * never echoed. Services build their immutable config records from it in {@code fromMap}.
 */
public final class ConfigValues {

  private static final ThreadLocal<Set<String>> TRACE = new ThreadLocal<>();

  private final Map<String, String> values;

  public ConfigValues(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  /**
   * The keys a piece of code reads, in order (prefixes read as a whole end in {@code *}): how the
   * configuration reference in docs/configuration.md is checked against the config classes.
   */
  public static Set<String> keysReadBy(Runnable build) {
    Set<String> keys = new LinkedHashSet<>();
    Set<String> outer = TRACE.get();
    TRACE.set(keys);
    try {
      build.run();
    } finally {
      TRACE.set(outer);
    }
    return keys;
  }

  private static void read(String key) {
    Set<String> t = TRACE.get();
    if (t != null) {
      t.add(key);
    }
  }

  public Optional<String> optional(String key) {
    read(key);
    String v = values.get(key);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  public String string(String key, String dflt) {
    return optional(key).orElse(dflt);
  }

  public String required(String key) {
    return optional(key).orElseThrow(() -> new InvalidConfigException(key, "is required"));
  }

  /** A whole number that must be set (its default is in the service's defaults file). */
  public int intValue(String key, int min, int max) {
    return (int) longValue(key, min, max);
  }

  /** A whole number that must be set (its default is in the service's defaults file). */
  public long longValue(String key, long min, long max) {
    required(key);
    return longValue(key, 0, min, max);
  }

  /** A flag that must be set (its default is in the service's defaults file). */
  public boolean bool(String key) {
    required(key);
    return bool(key, false);
  }

  /** A duration that must be set (its default is in the service's defaults file). */
  public Duration duration(String key) {
    return parseDuration(key, required(key));
  }

  /** A list of durations that must be set (its default is in the service's defaults file). */
  public List<Duration> durations(String key) {
    required(key);
    return durations(key, List.of());
  }

  public int intValue(String key, int dflt, int min, int max) {
    return (int) longValue(key, dflt, min, max);
  }

  public long longValue(String key, long dflt, long min, long max) {
    Optional<String> v = optional(key);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      long l = Long.parseLong(v.get());
      if (l < min || l > max) {
        throw new InvalidConfigException(
            key, "must be between " + min + " and " + max + ", got " + shown(key, v.get()));
      }
      return l;
    } catch (NumberFormatException e) {
      throw new InvalidConfigException(key, "must be a whole number, got " + shown(key, v.get()));
    }
  }

  public boolean bool(String key, boolean dflt) {
    Optional<String> v = optional(key);
    if (v.isEmpty()) {
      return dflt;
    }
    return switch (v.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default ->
          throw new InvalidConfigException(
              key, "must be true or false, got " + shown(key, v.get()));
    };
  }

  /**
   * Durations as {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code
   * PT30S}).
   */
  public Duration duration(String key, Duration dflt) {
    Optional<String> v = optional(key);
    return v.isEmpty() ? dflt : parseDuration(key, v.get());
  }

  /** A comma-separated list of durations ({@code 10s,1m,10m}), each as in {@link #duration}. */
  public List<Duration> durations(String key, List<Duration> dflt) {
    Optional<String> v = optional(key);
    if (v.isEmpty()) {
      return dflt;
    }
    return list(key, List.of()).stream().map(item -> parseDuration(key, item)).toList();
  }

  private Duration parseDuration(String key, String raw) {
    String s = raw.toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (s.startsWith("p")) {
        d = Duration.parse(raw.toUpperCase(Locale.ROOT));
      } else if (s.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      } else {
        long n = Long.parseLong(s.substring(0, s.length() - 1));
        d =
            switch (s.charAt(s.length() - 1)) {
              case 's' -> Duration.ofSeconds(n);
              case 'm' -> Duration.ofMinutes(n);
              case 'h' -> Duration.ofHours(n);
              case 'd' -> Duration.ofDays(n);
              default -> throw new NumberFormatException();
            };
      }
      if (d.isNegative()) {
        throw new InvalidConfigException(key, "must not be negative");
      }
      return d;
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw new InvalidConfigException(
          key, "must be a duration such as 250ms, 30s, 5m, 2h or PT30S, got " + shown(key, raw));
    }
  }

  /** A comma-separated list, trimmed, empty items dropped. */
  public List<String> list(String key, List<String> dflt) {
    return optional(key)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
        .orElse(dflt);
  }

  /**
   * Every entry under a prefix, with the prefix removed: {@code kafka.producer.linger.ms} to {@code
   * linger.ms}.
   */
  public Map<String, Object> withPrefix(String prefix) {
    read(prefix + "*");
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(prefix) && k.length() > prefix.length()) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }

  /**
   * The names of the blocks under a prefix, sorted: {@code names("worker.provider.")} is {@code
   * [anthropic, openai]} for {@code worker.provider.anthropic.type}, {@code
   * worker.provider.openai.base-url}.
   */
  public Set<String> names(String prefix) {
    Set<String> names = new TreeSet<>();
    withPrefix(prefix)
        .keySet()
        .forEach(k -> names.add(k.indexOf('.') < 0 ? k : k.substring(0, k.indexOf('.'))));
    return names;
  }

  private static String shown(String key, String value) {
    return Secrets.isSecret(key) ? Secrets.HIDDEN : "'" + value + "'";
  }

  @Override
  public String toString() {
    return Secrets.mask(values).toString();
  }
}
