package dev.agentyard.runtime.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.runtime.deadletter.DeadLetterReason;
import dev.agentyard.schemas.registry.RegistryUnavailableException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {

  @Test
  void sortsFatalRetriableAndPoison() {
    assertThat(ErrorClassifier.classify(new TopicAuthorizationException("no")))
        .isEqualTo(ErrorKind.FATAL);
    assertThat(ErrorClassifier.classify(new ProducerFencedException("fenced")))
        .isEqualTo(ErrorKind.FATAL);
    assertThat(ErrorClassifier.classify(new TimeoutException("slow")))
        .isEqualTo(ErrorKind.RETRIABLE);
    assertThat(ErrorClassifier.classify(new SerializationException("bad magic")))
        .isEqualTo(ErrorKind.POISON);
    assertThat(
            ErrorClassifier.classify(
                new InvalidContentException(DeadLetterReason.TOO_LARGE, "big")))
        .isEqualTo(ErrorKind.POISON);
    assertThat(ErrorClassifier.classify(new IllegalStateException("bug")))
        .isEqualTo(ErrorKind.POISON);
  }

  @Test
  void serializationFailureCausedByAnUnreachableRegistryIsRetriable() {
    var e =
        new SerializationException(
            "cannot read schema", new RegistryUnavailableException("down", null));
    assertThat(ErrorClassifier.classify(e)).isEqualTo(ErrorKind.RETRIABLE);
  }

  @Test
  void looksThroughWrappers() {
    assertThat(
            ErrorClassifier.classify(new RuntimeException(new TopicAuthorizationException("no"))))
        .isEqualTo(ErrorKind.FATAL);
  }
}
