package dev.agentyard.runtime.config;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Knows which configuration keys hold secrets, and hides their values. */
public final class Secrets {

  public static final String HIDDEN = "[hidden]";
  private static final Pattern SECRET_KEY =
      Pattern.compile(
          "(?i).*(password|passwd|secret|token|api[._-]?key|user\\.info|jaas|credential|private[._-]?key|signing[._-]?key|authorization).*");

  private Secrets() {}

  /** True when the key's value must never be shown. */
  public static boolean isSecret(String key) {
    return SECRET_KEY.matcher(key).matches();
  }

  /** A sorted copy with every secret value replaced by {@link #HIDDEN}, for logging. */
  public static Map<String, String> mask(Map<String, ?> config) {
    Map<String, String> out = new TreeMap<>();
    config.forEach((k, v) -> out.put(k, isSecret(k) ? HIDDEN : String.valueOf(v)));
    return out;
  }
}
