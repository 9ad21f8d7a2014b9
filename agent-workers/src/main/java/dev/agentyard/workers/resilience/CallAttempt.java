package dev.agentyard.workers.resilience;

import dev.agentyard.avro.CallOutcome;
import dev.agentyard.runtime.pricing.PriceTable;
import dev.agentyard.workers.provider.TokenUsage;
import java.time.Instant;

/**
 * One model call that was sent, whatever its outcome: what becomes a {@code ModelUsage} event.
 *
 * @param attemptId the id of this call, sent to the provider as its request id and used as the
 *     usage event's attempt id
 * @param model the model called
 * @param requestedModel the first model of the chain
 * @param attempt attempt number within the turn, from 1
 * @param fallback whether {@code model} is a fallback
 * @param outcome how it ended
 * @param usage billed tokens (zero for a failure)
 * @param httpStatus HTTP status, 0 when none
 * @param error short redacted error text, null on success
 * @param startedAt when it was sent
 * @param completedAt when it ended
 * @param providerRequestId the provider's id of the request, null when it sent none
 * @param stopReason the provider's stop reason, null for a failure
 * @param serviceTier the price-table tier the call is priced at
 * @param usageEstimated true when {@code usage} is partly estimated (a stream cut off, or a server
 *     that reported no usage)
 */
public record CallAttempt(
    String attemptId,
    ModelRef model,
    String requestedModel,
    int attempt,
    boolean fallback,
    CallOutcome outcome,
    TokenUsage usage,
    int httpStatus,
    String error,
    Instant startedAt,
    Instant completedAt,
    String providerRequestId,
    String stopReason,
    String serviceTier,
    boolean usageEstimated) {

  public CallAttempt {
    serviceTier = serviceTier == null || serviceTier.isBlank() ? PriceTable.STANDARD : serviceTier;
  }

  /**
   * How the call's usage event records it: as {@link #outcome}, except a call cut off before the
   * provider reported what it bills (a failure with partly estimated usage: our timeout, a dropped
   * connection), which is {@code UNCONFIRMED} — the provider bills what it generated, which may be
   * more than was seen (all of it, when a paused client never read the answer in its socket), so it
   * is priced at the worst case and kept apart from confirmed spend like a call whose worker died.
   */
  public CallOutcome billedAs() {
    return cutOff() ? CallOutcome.UNCONFIRMED : outcome;
  }

  /** True for a call that failed after part of its answer was streamed. */
  public boolean cutOff() {
    return usageEstimated
        && outcome != CallOutcome.SUCCESS
        && outcome != CallOutcome.CONTENT_REFUSAL
        && outcome != CallOutcome.UNCONFIRMED;
  }

  /** A call without provider details (standard tier, usage as reported). */
  public CallAttempt(
      String attemptId,
      ModelRef model,
      String requestedModel,
      int attempt,
      boolean fallback,
      CallOutcome outcome,
      TokenUsage usage,
      int httpStatus,
      String error,
      Instant startedAt,
      Instant completedAt) {
    this(
        attemptId,
        model,
        requestedModel,
        attempt,
        fallback,
        outcome,
        usage,
        httpStatus,
        error,
        startedAt,
        completedAt,
        null,
        null,
        null,
        false);
  }
}
