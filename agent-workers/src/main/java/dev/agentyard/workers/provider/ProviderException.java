package dev.agentyard.workers.provider;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * A failed model call, sorted into what the worker's policy acts on. Messages never carry
 * credentials.
 */
public final class ProviderException extends RuntimeException {

  /** What went wrong. */
  public enum Kind {
    /** 429: the provider asks us to slow down, often with a retry-after. */
    RATE_LIMITED(true, true),
    /** 5xx, including Anthropic's 529 overloaded. */
    SERVER_ERROR(true, true),
    /** No answer within the call timeout. */
    TIMEOUT(true, true),
    /** The connection failed or was reset before an answer. */
    CONNECTION(true, true),
    /** An answer that is not the JSON the API promises. */
    MALFORMED_RESPONSE(true, true),
    /**
     * 401/403: the credential is wrong or lacks permission (another model or a fixed config may
     * succeed).
     */
    AUTHENTICATION(true, false),
    /** The prompt does not fit the model's context window: only a larger model helps. */
    CONTEXT_LENGTH(false, false),
    /** Any other 4xx: the request itself is wrong; retrying it cannot help. */
    BAD_REQUEST(false, false),
    /** Not sent: the model's circuit breaker is open. */
    CIRCUIT_OPEN(true, false),
    /** Not sent: our own rate limit for the provider is exhausted. */
    THROTTLED(true, false);

    private final boolean transientFailure;
    private final boolean breakerFailure;

    Kind(boolean transientFailure, boolean breakerFailure) {
      this.transientFailure = transientFailure;
      this.breakerFailure = breakerFailure;
    }

    /** Worth trying again later (another model now, or the same task from a delay topic). */
    public boolean isTransient() {
      return transientFailure;
    }

    /** Counts toward opening the model's circuit breaker. */
    public boolean countsAgainstBreaker() {
      return breakerFailure;
    }
  }

  private final Kind kind;
  private final int httpStatus;
  private final Duration retryAfter;

  public ProviderException(
      Kind kind, int httpStatus, Duration retryAfter, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.retryAfter = retryAfter;
  }

  public ProviderException(Kind kind, int httpStatus, String message) {
    this(kind, httpStatus, null, message, null);
  }

  /**
   * The failure inside a CompletionException, as futures deliver it; the error itself otherwise.
   */
  public static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status, or 0 when there was no answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** How long the provider asked us to wait, if it did. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
