package dev.agentyard.runtime.errors;

import dev.agentyard.runtime.deadletter.DeadLetterReason;

/**
 * A record decoded fine but its content is unusable (missing document, too large, unknown route).
 */
public class InvalidContentException extends RuntimeException {

  private final DeadLetterReason reason;

  public InvalidContentException(DeadLetterReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public DeadLetterReason reason() {
    return reason;
  }
}
