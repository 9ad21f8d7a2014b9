package dev.agentyard.runtime.http;

/**
 * One readiness condition, e.g. "the consumer has joined its group" or "the streams are RUNNING".
 */
@FunctionalInterface
public interface HealthCheck {

  /** The result of a check. */
  record Status(boolean up, String detail) {
    public static Status up(String detail) {
      return new Status(true, detail);
    }

    public static Status down(String detail) {
      return new Status(false, detail);
    }
  }

  Status check();
}
