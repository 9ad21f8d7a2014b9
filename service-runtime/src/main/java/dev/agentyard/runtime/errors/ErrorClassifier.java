package dev.agentyard.runtime.errors;

import dev.agentyard.schemas.registry.RegistryUnavailableException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * The one place every service sorts exceptions into {@link ErrorKind}s. Walks the cause chain so a
 * wrapped cause is sorted by what it really is.
 */
public final class ErrorClassifier {

  private ErrorClassifier() {}

  public static ErrorKind classify(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AuthorizationException
          || t instanceof AuthenticationException
          || t instanceof ProducerFencedException
          || t instanceof InvalidProducerEpochException
          || t instanceof OutOfOrderSequenceException
          || t instanceof UnsupportedVersionException
          || t instanceof InvalidConfigurationException
          || t instanceof Error) {
        return ErrorKind.FATAL;
      }
      if (t instanceof RegistryUnavailableException
          || t instanceof RetriableException
          || t instanceof IOException
          || t instanceof TimeoutException) {
        return ErrorKind.RETRIABLE;
      }
      if (t instanceof InvalidContentException
          || t instanceof RecordDeserializationException
          || t instanceof SerializationException) {
        // A serialization error whose cause is an unreachable registry is retriable: keep walking.
        if (t.getCause() instanceof RegistryUnavailableException) {
          continue;
        }
        return ErrorKind.POISON;
      }
    }
    // Unknown bugs are treated as poison for the record at hand: dead-lettered with the stack
    // trace,
    // so one bad record cannot crash-loop the service.
    return ErrorKind.POISON;
  }
}
