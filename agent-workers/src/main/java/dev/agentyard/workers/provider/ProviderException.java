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
    THROTTLED(true, false),
    /**
     * The account is out of quota or credit (OpenAI's {@code insufficient_quota} 429, Anthropic's
     * {@code billing_error} and "credit balance is too low"): no call to this provider can succeed
     * until a person acts. Never retried on the provider, never counted against a breaker; the
     * provider is paused and an alert raised. Transient for the task: another provider may serve,
     * or the task waits on the retry ladder.
     */
    QUOTA_EXHAUSTED(true, false),
    /**
     * 409: the provider's request conflicted with another (a lock timeout); retried as the
     * providers' SDKs do, not counted against the breaker.
     */
    CONFLICT(true, false),
    /**
     * Not sent: a budget of the budget ledger cannot hold the call's worst case and the budget says
     * to wait (ADR 0023). Never from a provider; the task waits on the retry ladder.
     */
    BUDGET_EXHAUSTED(true, false);

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
  private final Boolean shouldRetry;
  private final String providerRequestId;
  private final TokenUsage partialUsage;

  public ProviderException(
      Kind kind, int httpStatus, Duration retryAfter, String message, Throwable cause) {
    this(kind, httpStatus, retryAfter, null, null, null, message, cause);
  }

  /**
   * @param shouldRetry the provider's {@code x-should-retry} header, null when it sent none
   * @param providerRequestId the provider's id of the request, null when it sent none
   * @param partialUsage the tokens a call cut off mid-answer was billed for, as far as seen (the
   *     rest estimated); null when the provider bills nothing
   */
  public ProviderException(
      Kind kind,
      int httpStatus,
      Duration retryAfter,
      Boolean shouldRetry,
      String providerRequestId,
      TokenUsage partialUsage,
      String message,
      Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.retryAfter = retryAfter;
    this.shouldRetry = shouldRetry;
    this.providerRequestId = providerRequestId;
    this.partialUsage = partialUsage;
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

  /**
   * Whether the same model may be called again for this turn: the provider's {@code x-should-retry}
   * when it sent one, else what the kind says.
   */
  public boolean retryableOnSameModel() {
    if (kind == Kind.QUOTA_EXHAUSTED) {
      return false;
    }
    return shouldRetry != null
        ? shouldRetry
        : kind.isTransient() && kind.countsAgainstBreaker() || kind == Kind.CONFLICT;
  }

  /** The provider's id of the request, if it sent one. */
  public Optional<String> providerRequestId() {
    return Optional.ofNullable(providerRequestId);
  }

  /**
   * What a call cut off mid-answer was billed for (seen plus estimated); empty when nothing is
   * billed.
   */
  public Optional<TokenUsage> partialUsage() {
    return Optional.ofNullable(partialUsage);
  }

  /** How long the provider asked us to wait, if it did. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
