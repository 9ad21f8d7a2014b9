package dev.agentyard.runtime.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Reads a service's configuration as a flat {@code Map} of dotted keys, merged once: the service's
 * bundled defaults file (the only place a default lives), then a properties file, then {@code
 * AGENTYARD_*} environment variables (each later source wins). The result is the effective
 * configuration, which the service logs masked and hands to its config record's pure {@code
 * fromMap}.
 *
 * <p>Environment names map to keys by dropping {@code AGENTYARD_}, lower-casing, and turning {@code
 * _} into {@code .} and {@code __} into {@code -}: {@code AGENTYARD_KAFKA_PRODUCER_LINGER_MS} is
 * {@code kafka.producer.linger.ms}. The file is {@code AGENTYARD_CONFIG_FILE} when set.
 */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "AGENTYARD_";
  public static final String CONFIG_FILE_ENV = "AGENTYARD_CONFIG_FILE";

  private ConfigLoader() {}

  /**
   * Defaults, overlaid by the file named in the environment (if any), overlaid by the environment.
   */
  public static Map<String, String> load(Map<String, String> defaults, Map<String, String> env) {
    String file = env.get(CONFIG_FILE_ENV);
    return load(defaults, file == null || file.isBlank() ? null : Path.of(file), env);
  }

  /** Defaults, overlaid by the given properties file (may be null), overlaid by the environment. */
  public static Map<String, String> load(
      Map<String, String> defaults, Path file, Map<String, String> env) {
    Map<String, String> out = new HashMap<>(defaults);
    if (file != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      } catch (IOException e) {
        throw new InvalidConfigException(
            CONFIG_FILE_ENV, "cannot read " + file + ": " + e.getMessage());
      }
      p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).trim()));
    }
    env.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX) && !name.equals(CONFIG_FILE_ENV)) {
            out.put(envToKey(name), value.trim());
          }
        });
    return Map.copyOf(out);
  }

  /**
   * The defaults overlaid with some settings: what {@link #load} gives with those settings in the
   * file.
   */
  public static Map<String, String> overlay(
      Map<String, String> defaults, Map<String, String> settings) {
    Map<String, String> out = new HashMap<>(defaults);
    out.putAll(settings);
    return Map.copyOf(out);
  }

  /**
   * Checks that {@code config} is an effective configuration (every key of the defaults present),
   * as a service's {@code start} expects; bare settings fail here, naming the fix, instead of
   * failing later on whichever default key is read first.
   */
  public static void requireEffective(Map<String, String> defaults, Map<String, String> config) {
    for (String key : new TreeSet<>(defaults.keySet())) {
      if (!config.containsKey(key)) {
        throw new InvalidConfigException(
            key,
            "is missing: start() takes the effective configuration (the bundled defaults overlaid"
                + " with the settings, as ConfigLoader.load or <Service>Config.effective make it),"
                + " not bare settings");
      }
    }
  }

  /** A service's bundled defaults file on the classpath, as a map. */
  public static Map<String, String> defaults(Class<?> owner, String name) {
    Properties p = new Properties();
    try (InputStream in = owner.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + name);
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> out = new HashMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  /** {@code AGENTYARD_KAFKA_BOOTSTRAP_SERVERS} to {@code kafka.bootstrap.servers}. */
  public static String envToKey(String envName) {
    String rest = envName.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
    return rest.replace("__", "\u0000").replace('_', '.').replace('\u0000', '-');
  }
}
