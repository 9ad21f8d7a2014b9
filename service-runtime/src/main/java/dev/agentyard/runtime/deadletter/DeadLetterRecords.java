package dev.agentyard.runtime.deadletter;

import static dev.agentyard.runtime.deadletter.DeadLetterHeaders.*;

import dev.agentyard.runtime.errors.SecretRedactor;
import dev.agentyard.runtime.tracing.TraceParent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the dead letter of a record that cannot be processed, for {@code <source topic>.dlq}: same
 * key, same value bytes, same headers, same partition, plus headers that say what failed, in Spring
 * Kafka's, Kafka Connect's and Agentyard's conventions, so the replay is exact and every tool can
 * read why. Used by the workers' retry router and by Kafka Streams exception handlers, which hand
 * the records to Streams so they are written in the task's transaction.
 *
 * <p>Error text is passed through {@link SecretRedactor} and truncated: a dead letter never carries
 * a credential, and never grows past what a broker accepts.
 */
public final class DeadLetterRecords {

  /** Longest stack trace kept, in characters. */
  static final int MAX_STACKTRACE = 8_000;

  static final int MAX_MESSAGE = 1_000;

  private final String service;
  private final Clock clock;

  public DeadLetterRecords(String service, Clock clock) {
    this.service = service;
    this.clock = clock;
  }

  /** The dead-letter topic of a source topic. */
  public static String deadLetterTopic(String sourceTopic) {
    return sourceTopic + ".dlq";
  }

  /** Builds the dead letter without sending it. */
  public ProducerRecord<byte[], byte[]> toDeadLetter(
      ConsumerRecord<byte[], byte[]> failed, Throwable error, DeadLetterContext ctx) {
    Headers headers = new RecordHeaders();
    for (Header h : failed.headers()) {
      if (!ALL_WRITTEN.contains(h.key())) {
        headers.add(h.key(), h.value());
      }
    }
    String message =
        truncate(
            SecretRedactor.redact(error == null ? "" : String.valueOf(error.getMessage())),
            MAX_MESSAGE);
    String stack = truncate(SecretRedactor.redact(stackTrace(error)), MAX_STACKTRACE);
    String exceptionClass = error == null ? "" : error.getClass().getName();
    Throwable root = rootCause(error);
    String causeClass = root == null ? "" : root.getClass().getName();
    String trace = TraceParent.from(failed.headers()).map(TraceParent::traceId).orElse("");
    Header replayed = failed.headers().lastHeader(REPLAYED_COUNT);
    String replayCount =
        replayed == null ? "0" : new String(replayed.value(), StandardCharsets.UTF_8);

    // Spring Kafka
    str(headers, SPRING_EXCEPTION_FQCN, exceptionClass);
    str(headers, SPRING_EXCEPTION_CAUSE_FQCN, causeClass);
    str(headers, SPRING_EXCEPTION_MESSAGE, message);
    str(headers, SPRING_EXCEPTION_STACKTRACE, stack);
    str(headers, SPRING_ORIGINAL_TOPIC, failed.topic());
    headers.add(
        SPRING_ORIGINAL_PARTITION,
        ByteBuffer.allocate(Integer.BYTES).putInt(failed.partition()).array());
    headers.add(
        SPRING_ORIGINAL_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(failed.offset()).array());
    headers.add(
        SPRING_ORIGINAL_TIMESTAMP,
        ByteBuffer.allocate(Long.BYTES).putLong(failed.timestamp()).array());
    str(headers, SPRING_ORIGINAL_TIMESTAMP_TYPE, failed.timestampType().toString());
    str(headers, SPRING_ORIGINAL_CONSUMER_GROUP, ctx.consumerGroup());

    // Kafka Connect
    str(headers, CONNECT_TOPIC, failed.topic());
    str(headers, CONNECT_PARTITION, Integer.toString(failed.partition()));
    str(headers, CONNECT_OFFSET, Long.toString(failed.offset()));
    str(headers, CONNECT_CONNECTOR_NAME, service);
    str(headers, CONNECT_TASK_ID, "0");
    str(headers, CONNECT_STAGE, ctx.stage());
    str(headers, CONNECT_CLASS_NAME, service);
    str(headers, CONNECT_EXCEPTION_CLASS, exceptionClass);
    str(headers, CONNECT_EXCEPTION_MESSAGE, message);
    str(headers, CONNECT_EXCEPTION_STACKTRACE, stack);

    // Agentyard
    str(headers, REASON, ctx.reason().name());
    str(headers, STAGE, ctx.stage());
    str(headers, SERVICE, service);
    str(headers, ATTEMPTS, Integer.toString(ctx.attempts()));
    ctx.taskId().ifPresent(v -> str(headers, TASK_ID, v));
    ctx.route().ifPresent(v -> str(headers, ROUTE, v));
    ctx.model().ifPresent(v -> str(headers, MODEL, v));
    str(headers, TOKENS_SPENT, Long.toString(ctx.tokensSpent()));
    str(headers, COST_SPENT_MICRO_USD, Long.toString(ctx.costSpentMicroUsd()));
    str(headers, REPLAY_COUNT, replayCount);
    str(headers, TRACE_ID, trace);
    str(headers, FAILED_AT, clock.instant().toString());
    str(headers, ORIGINAL_TOPIC, failed.topic());
    str(headers, ORIGINAL_PARTITION, Integer.toString(failed.partition()));
    str(headers, ORIGINAL_OFFSET, Long.toString(failed.offset()));
    str(headers, ERROR_CLASS, exceptionClass);
    str(headers, ERROR_MESSAGE, message);

    // Same partition as the source: the DLQ has as many partitions, and per-key order is kept.
    return new ProducerRecord<>(
        deadLetterTopic(failed.topic()),
        failed.partition(),
        failed.timestamp(),
        failed.key(),
        failed.value(),
        headers);
  }

  private static void str(Headers h, String key, String value) {
    h.add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static Throwable rootCause(Throwable t) {
    Throwable r = t;
    while (r != null && r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    return r;
  }

  private static String stackTrace(Throwable t) {
    if (t == null) {
      return "";
    }
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...[truncated]";
  }
}
