package dev.agentyard.workers.provider;

import java.util.Objects;

/**
 * A provider credential. Its {@code toString} never shows it, so it cannot leak through a log line
 * or an exception.
 */
public final class ApiKey {

  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  public static ApiKey of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("an API key must not be blank");
    }
    return new ApiKey(value.strip());
  }

  /** The secret itself; only for the request header. */
  String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "ApiKey[hidden]";
  }
}
