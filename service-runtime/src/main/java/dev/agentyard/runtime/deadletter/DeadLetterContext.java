package dev.agentyard.runtime.deadletter;

import java.util.Objects;
import java.util.Optional;

/**
 * What the failing service knows when it gives up on a record.
 *
 * @param reason taxonomy class of the failure
 * @param stage where it failed, e.g. {@code deserialize}, {@code route}, {@code model-call}
 * @param consumerGroup group that consumed the record
 * @param attempts attempts made, including the first
 * @param taskId task id, when the record decoded far enough to know it
 * @param route route, when known
 * @param model model last called, when any
 * @param tokensSpent tokens spent on the task so far
 * @param costSpentMicroUsd cost spent on the task so far
 */
public record DeadLetterContext(
    DeadLetterReason reason,
    String stage,
    String consumerGroup,
    int attempts,
    Optional<String> taskId,
    Optional<String> route,
    Optional<String> model,
    long tokensSpent,
    long costSpentMicroUsd) {

  public DeadLetterContext {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(consumerGroup, "consumerGroup");
  }

  /** A failure before any model was called. */
  public static DeadLetterContext of(DeadLetterReason reason, String stage, String consumerGroup) {
    return new DeadLetterContext(
        reason,
        stage,
        consumerGroup,
        1,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        0,
        0);
  }

  public DeadLetterContext withTask(String taskId, String route) {
    return new DeadLetterContext(
        reason,
        stage,
        consumerGroup,
        attempts,
        Optional.ofNullable(taskId),
        Optional.ofNullable(route),
        model,
        tokensSpent,
        costSpentMicroUsd);
  }

  public DeadLetterContext withSpend(int attempts, String model, long tokens, long costMicroUsd) {
    return new DeadLetterContext(
        reason,
        stage,
        consumerGroup,
        attempts,
        taskId,
        route,
        Optional.ofNullable(model),
        tokens,
        costMicroUsd);
  }
}
