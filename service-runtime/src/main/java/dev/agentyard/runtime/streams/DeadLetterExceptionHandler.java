package dev.agentyard.runtime.streams;

import dev.agentyard.runtime.deadletter.DeadLetterContext;
import dev.agentyard.runtime.deadletter.DeadLetterReason;
import dev.agentyard.runtime.deadletter.DeadLetterRecords;
import dev.agentyard.runtime.errors.ErrorClassifier;
import dev.agentyard.runtime.errors.ErrorKind;
import dev.agentyard.runtime.errors.InvalidContentException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns bad input into dead letters instead of a crash loop: records that do not deserialize, and
 * records whose processing throws (invalid content), go to {@code <source topic>.dlq} with the
 * original bytes and the reason in headers, and the application keeps going. The dead letters are
 * handed back to Kafka Streams (KIP-1034), so they are written in the same transaction as the
 * task's output and offsets: exactly once, even across a crash.
 *
 * <p>Fatal errors (authorization, fencing) still stop the application. Retriable ones (the schema
 * registry unreachable, a broker timeout) fail the stream thread instead of dead-lettering a good
 * record: the service's uncaught-exception handler replaces the thread, which resumes from the last
 * committed offset, so the record is tried again once the dependency is back.
 */
public final class DeadLetterExceptionHandler
    implements DeserializationExceptionHandler, ProcessingExceptionHandler {

  /**
   * Config key: the topic whose dead-letter topic receives everything (internal topics map to it).
   */
  public static final String SOURCE_TOPIC_CONFIG = "agentyard.dlq.source.topic";

  /** Config key: the service name written into the headers. */
  public static final String SERVICE_CONFIG = "agentyard.dlq.service";

  /**
   * Config key (optional, default false): when true, bad records of topics other than the source
   * topic (another service's output the application only reads) are logged and skipped instead of
   * dead-lettered; they stay in their topic, whose owner dead-letters them.
   */
  public static final String SOURCE_TOPIC_ONLY_CONFIG = "agentyard.dlq.source.topic.only";

  /** Config key (optional): a {@link DeadLetterListener} object told about every dead letter. */
  public static final String LISTENER_CONFIG = "agentyard.dlq.listener";

  private static final Logger log = LoggerFactory.getLogger(DeadLetterExceptionHandler.class);

  private String sourceTopic;
  private String applicationId;
  private DeadLetterRecords records;
  private DeadLetterListener listener = (topic, reason) -> {};
  private boolean sourceTopicOnly;

  @Override
  public void configure(Map<String, ?> configs) {
    sourceTopic = String.valueOf(configs.get(SOURCE_TOPIC_CONFIG));
    applicationId = String.valueOf(configs.get("application.id"));
    Object service = configs.get(SERVICE_CONFIG);
    records =
        new DeadLetterRecords(
            service == null ? "kafka-streams" : service.toString(), Clock.systemUTC());
    sourceTopicOnly = Boolean.parseBoolean(String.valueOf(configs.get(SOURCE_TOPIC_ONLY_CONFIG)));
    if (configs.get(LISTENER_CONFIG) instanceof DeadLetterListener l) {
      listener = l;
    }
  }

  @Override
  public DeserializationExceptionHandler.Response handleError(
      ErrorHandlerContext ctx, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    ErrorKind kind = ErrorClassifier.classify(exception);
    if (kind != ErrorKind.POISON) {
      log.warn(
          "Record {}-{}@{} could not be read for a {} reason; failing the thread so it is retried: {}",
          ctx.topic(),
          ctx.partition(),
          ctx.offset(),
          kind,
          exception.toString());
      return DeserializationExceptionHandler.Response.fail();
    }
    DeadLetterReason reason = DeadLetterReason.ofDeserializationFailure(exception);
    if (sourceTopicOnly && !ctx.topic().equals(sourceTopic)) {
      log.warn(
          "Skipping undeserializable record {}-{}@{} of a topic this service only reads: {}",
          ctx.topic(),
          ctx.partition(),
          ctx.offset(),
          reason);
      return DeserializationExceptionHandler.Response.resume(List.of());
    }
    log.warn(
        "Dead-lettering undeserializable record {}-{}@{}: {}",
        ctx.topic(),
        ctx.partition(),
        ctx.offset(),
        reason);
    return DeserializationExceptionHandler.Response.resume(
        List.of(deadLetter(ctx, exception, reason, "deserialize", null)));
  }

  @Override
  public ProcessingExceptionHandler.Response handleError(
      ErrorHandlerContext ctx, Record<?, ?> record, Exception exception) {
    ErrorKind kind = ErrorClassifier.classify(exception);
    if (kind != ErrorKind.POISON) {
      log.warn(
          "Record {}-{}@{} failed in {} for a {} reason; failing the thread so it is retried: {}",
          ctx.topic(),
          ctx.partition(),
          ctx.offset(),
          ctx.processorNodeId(),
          kind,
          exception.toString());
      return ProcessingExceptionHandler.Response.fail();
    }
    DeadLetterReason reason =
        exception instanceof InvalidContentException ice
            ? ice.reason()
            : DeadLetterReason.UNEXPECTED;
    if (sourceTopicOnly && !ctx.topic().equals(sourceTopic)) {
      log.error(
          "Skipping record {}-{}@{} of a topic this service only reads after an error in {}",
          ctx.topic(),
          ctx.partition(),
          ctx.offset(),
          ctx.processorNodeId(),
          exception);
      return ProcessingExceptionHandler.Response.resume(List.of());
    }
    if (reason == DeadLetterReason.UNEXPECTED) {
      log.error(
          "Dead-lettering record {}-{}@{} after an unexpected error in {}",
          ctx.topic(),
          ctx.partition(),
          ctx.offset(),
          ctx.processorNodeId(),
          exception);
    } else {
      log.warn(
          "Dead-lettering record {}-{}@{}: {} ({})",
          ctx.topic(),
          ctx.partition(),
          ctx.offset(),
          reason,
          exception.getMessage());
    }
    // the record decoded: its key is the task id (router) or the usage event's key, which on-call
    // filters dead letters by
    String taskId = record.key() instanceof String k && !k.isBlank() ? k : null;
    return ProcessingExceptionHandler.Response.resume(
        List.of(deadLetter(ctx, exception, reason, ctx.processorNodeId(), taskId)));
  }

  /** {@code taskId} is null when the record did not decode. */
  private ProducerRecord<byte[], byte[]> deadLetter(
      ErrorHandlerContext ctx, Exception e, DeadLetterReason reason, String stage, String taskId) {
    ConsumerRecord<byte[], byte[]> failed =
        new ConsumerRecord<>(
            ctx.topic(),
            ctx.partition(),
            ctx.offset(),
            ctx.timestamp(),
            TimestampType.CREATE_TIME,
            -1,
            -1,
            ctx.sourceRawKey(),
            ctx.sourceRawValue(),
            ctx.headers(),
            Optional.empty());
    ProducerRecord<byte[], byte[]> dlq =
        records.toDeadLetter(
            failed, e, DeadLetterContext.of(reason, stage, applicationId).withTask(taskId, null));
    listener.deadLettered(ctx.topic(), reason);
    if (ctx.topic().equals(sourceTopic)) {
      return dlq;
    }
    // Failed after a repartition: the bytes are still a usage event; send to the source's DLQ,
    // partitioned by key.
    return new ProducerRecord<>(
        sourceTopic + ".dlq", null, dlq.timestamp(), dlq.key(), dlq.value(), dlq.headers());
  }
}
