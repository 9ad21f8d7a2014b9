package dev.agentyard.runtime.streams;

import dev.agentyard.runtime.deadletter.DeadLetterReason;

/**
 * Told about every record {@link DeadLetterExceptionHandler} dead-letters, so a service can count
 * them by reason. Passed as an object under {@link DeadLetterExceptionHandler#LISTENER_CONFIG}.
 */
@FunctionalInterface
public interface DeadLetterListener {

  void deadLettered(String sourceTopic, DeadLetterReason reason);
}
