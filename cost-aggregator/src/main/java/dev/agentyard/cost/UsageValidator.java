package dev.agentyard.cost;

import dev.agentyard.avro.ModelUsage;
import dev.agentyard.runtime.deadletter.DeadLetterReason;
import dev.agentyard.runtime.errors.InvalidContentException;
import java.time.Instant;
import java.util.Set;

/**
 * Rejects usage that would corrupt the books: negative or absurd counts, missing ids, routes that
 * are not registered. A rejected event is dead-lettered with the reason; nothing is counted.
 */
final class UsageValidator {

  /** More tokens than any model accepts in one call: a bug or an attack, not a bill. */
  static final long MAX_TOKENS_PER_CALL = 100_000_000L;

  /** More than USD 100,000 for one call. */
  static final long MAX_COST_PER_CALL_MICRO_USD = 100_000L * 1_000_000L;

  static final int MAX_ID_LENGTH = 256;
  static final Instant EARLIEST = Instant.parse("2020-01-01T00:00:00Z");
  static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

  private final Set<String> knownRoutes;

  UsageValidator(Set<String> knownRoutes) {
    this.knownRoutes = knownRoutes;
  }

  void validate(ModelUsage u) {
    if (u == null) {
      throw new InvalidContentException(
          DeadLetterReason.INVALID_CONTENT, "usage event has no value (tombstone)");
    }
    id("attemptId", u.getAttemptId());
    id("taskId", u.getTaskId());
    id("tenant", u.getTenant());
    id("route", u.getRoute());
    id("model", u.getModel());
    tokens("inputTokens", u.getInputTokens());
    tokens("outputTokens", u.getOutputTokens());
    tokens("cacheReadTokens", u.getCacheReadTokens());
    tokens("cacheWriteTokens", u.getCacheWriteTokens());
    tokens("cacheWrite1hTokens", u.getCacheWrite1hTokens());
    if (u.getCacheWrite1hTokens() > u.getCacheWriteTokens()) {
      throw new InvalidContentException(
          DeadLetterReason.INVALID_CONTENT,
          "cacheWrite1hTokens "
              + u.getCacheWrite1hTokens()
              + " exceeds cacheWriteTokens "
              + u.getCacheWriteTokens()
              + " (the 1-hour writes are a part of all writes)");
    }
    if (u.getCostMicroUsd() < 0 || u.getCostMicroUsd() > MAX_COST_PER_CALL_MICRO_USD) {
      throw new InvalidContentException(
          DeadLetterReason.INVALID_CONTENT,
          "costMicroUsd "
              + u.getCostMicroUsd()
              + " out of range [0, "
              + MAX_COST_PER_CALL_MICRO_USD
              + "]");
    }
    if (u.getTurn() < 1 || u.getAttempt() < 1) {
      throw new InvalidContentException(
          DeadLetterReason.INVALID_CONTENT, "turn and attempt start at 1");
    }
    if (u.getCompletedAt() == null
        || u.getStartedAt() == null
        || u.getCompletedAt().isBefore(u.getStartedAt())
        || u.getCompletedAt().isBefore(EARLIEST)
        || u.getCompletedAt().isAfter(LATEST)) {
      throw new InvalidContentException(
          DeadLetterReason.INVALID_CONTENT,
          "startedAt/completedAt missing, reversed or out of range");
    }
    if (!knownRoutes.isEmpty() && !knownRoutes.contains(u.getRoute())) {
      throw new InvalidContentException(
          DeadLetterReason.UNKNOWN_ROUTE,
          "route '" + truncate(u.getRoute()) + "' is not registered");
    }
  }

  private static void id(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidContentException(DeadLetterReason.INVALID_CONTENT, field + " is empty");
    }
    if (value.length() > MAX_ID_LENGTH) {
      throw new InvalidContentException(
          DeadLetterReason.INVALID_CONTENT,
          field + " is " + value.length() + " characters, more than " + MAX_ID_LENGTH);
    }
  }

  private static void tokens(String field, long value) {
    if (value < 0 || value > MAX_TOKENS_PER_CALL) {
      throw new InvalidContentException(
          DeadLetterReason.INVALID_CONTENT,
          field + " " + value + " out of range [0, " + MAX_TOKENS_PER_CALL + "]");
    }
  }

  private static String truncate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
