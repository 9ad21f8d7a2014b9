package dev.agentyard.runtime.config;

/**
 * A configuration value is missing or wrong. The message names the key; secret values are never
 * shown.
 */
public class InvalidConfigException extends RuntimeException {

  private final String key;

  public InvalidConfigException(String key, String problem) {
    super("Invalid configuration '" + key + "': " + problem);
    this.key = key;
  }

  /** The offending key. */
  public String key() {
    return key;
  }
}
