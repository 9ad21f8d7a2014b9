package dev.agentyard.workers.retry;

import static dev.agentyard.runtime.deadletter.RetryHeaders.*;

import dev.agentyard.runtime.deadletter.DeadLetterContext;
import dev.agentyard.runtime.deadletter.DeadLetterReason;
import dev.agentyard.runtime.deadletter.DeadLetterRecords;
import dev.agentyard.runtime.errors.SecretRedactor;
import dev.agentyard.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-blocking retries: a record whose processing failed transiently goes to the next delay topic
 * ({@code <route topic>.retry.<delay>}) with its attempt count and not-before time in headers, so
 * fresh work on the route topic is never held up behind it; after the last delay it goes to the
 * route topic's dead-letter topic with the full context. Key, value and other headers travel
 * untouched. Header names: {@link dev.agentyard.runtime.deadletter.RetryHeaders}.
 */
public final class RetryRouter {

  private static final Logger log = LoggerFactory.getLogger(RetryRouter.class);

  private final List<Duration> delays;
  private final Clock clock;
  private final DeadLetterRecords deadLetters;

  public RetryRouter(List<Duration> delays, Clock clock, DeadLetterRecords deadLetters) {
    this.delays = List.copyOf(delays);
    this.clock = clock;
    this.deadLetters = deadLetters;
  }

  /**
   * The route topic a record belongs to: its original-topic header, or the topic it was read from.
   */
  public static String originalTopic(ConsumerRecord<byte[], byte[]> r) {
    return header(r.headers(), ORIGINAL_TOPIC).orElse(r.topic());
  }

  /** Attempts already made on the record (0 for a fresh one). */
  public static int attempts(Headers headers) {
    return number(headers, ATTEMPT).map(Long::intValue).orElse(0);
  }

  /** What earlier attempts of the task spent, in micro-USD (0 for a fresh record). */
  public static long spentBefore(Headers headers) {
    return number(headers, SPENT).orElse(0L);
  }

  /** How long to wait before processing a record read from a delay topic (zero when due). */
  public static Duration remainingDelay(ConsumerRecord<byte[], byte[]> r, Clock clock) {
    return number(r.headers(), NOT_BEFORE)
        .map(v -> Duration.between(clock.instant(), Instant.ofEpochMilli(v)))
        .filter(d -> !d.isNegative())
        .orElse(Duration.ZERO);
  }

  /**
   * Where a transiently failed record goes next: the next delay topic, or the dead-letter topic.
   */
  public ProducerRecord<byte[], byte[]> next(
      ConsumerRecord<byte[], byte[]> failed, Throwable error, DeadLetterContext ctx) {
    String route = originalTopic(failed);
    int attempt = attempts(failed.headers()) + 1;
    if (attempt > delays.size()) {
      ProducerRecord<byte[], byte[]> dlq =
          deadLetter(
              failed,
              error,
              new DeadLetterContext(
                  DeadLetterReason.RETRIES_EXHAUSTED,
                  ctx.stage(),
                  ctx.consumerGroup(),
                  attempt,
                  ctx.taskId(),
                  ctx.route(),
                  ctx.model(),
                  ctx.tokensSpent(),
                  ctx.costSpentMicroUsd()));
      dlq.headers().remove(SPENT);
      put(dlq.headers(), SPENT, Long.toString(ctx.costSpentMicroUsd()));
      return dlq;
    }
    Duration delay = delays.get(attempt - 1);
    Headers headers = new RecordHeaders();
    for (Header h : failed.headers()) {
      if (!h.key().equals(ATTEMPT)
          && !h.key().equals(NOT_BEFORE)
          && !h.key().equals(ORIGINAL_TOPIC)
          && !h.key().equals(LAST_ERROR)
          && !h.key().equals(SPENT)) {
        headers.add(h);
      }
    }
    put(headers, ATTEMPT, Integer.toString(attempt));
    put(headers, NOT_BEFORE, Long.toString(clock.instant().plus(delay).toEpochMilli()));
    put(headers, ORIGINAL_TOPIC, route);
    if (failed.headers().lastHeader(ORIGINAL_PARTITION) == null) {
      // first retry: remember where the record sat on the route topic, for the dead letter's
      // provenance
      put(headers, ORIGINAL_PARTITION, Integer.toString(failed.partition()));
      put(headers, ORIGINAL_OFFSET, Long.toString(failed.offset()));
    }
    String why =
        error == null
            ? ""
            : error.getClass().getSimpleName()
                + ": "
                + SecretRedactor.redact(String.valueOf(error.getMessage()));
    put(headers, LAST_ERROR, why.length() > 500 ? why.substring(0, 500) : why);
    put(headers, SPENT, Long.toString(ctx.costSpentMicroUsd()));
    return new ProducerRecord<>(
        route + ".retry." + Topics.label(delay),
        null,
        failed.timestamp(),
        failed.key(),
        failed.value(),
        headers);
  }

  /**
   * The dead letter of a record read from a route topic or any of its delay topics: it goes to the
   * route topic's dead-letter topic and names the route topic as its origin, so a replay goes back
   * to the route.
   */
  public ProducerRecord<byte[], byte[]> deadLetter(
      ConsumerRecord<byte[], byte[]> failed, Throwable error, DeadLetterContext ctx) {
    int partition =
        number(failed.headers(), ORIGINAL_PARTITION).map(Long::intValue).orElse(failed.partition());
    long offset = number(failed.headers(), ORIGINAL_OFFSET).orElse(failed.offset());
    ConsumerRecord<byte[], byte[]> asOriginal =
        new ConsumerRecord<>(
            originalTopic(failed),
            partition,
            offset,
            failed.timestamp(),
            failed.timestampType(),
            failed.serializedKeySize(),
            failed.serializedValueSize(),
            failed.key(),
            failed.value(),
            failed.headers(),
            failed.leaderEpoch());
    ProducerRecord<byte[], byte[]> dlq = deadLetters.toDeadLetter(asOriginal, error, ctx);
    // the dead-letter topic has the route topic's partitions; key-based placement keeps it valid
    // from any retry topic
    return new ProducerRecord<>(
        dlq.topic(), null, dlq.timestamp(), dlq.key(), dlq.value(), dlq.headers());
  }

  /**
   * A numeric header; one that does not parse is treated as absent (and logged), so a record with a
   * garbled header is processed rather than stopping the consumer loop on every restart.
   */
  private static Optional<Long> number(Headers headers, String key) {
    return header(headers, key)
        .flatMap(
            v -> {
              try {
                return Optional.of(Long.parseLong(v.trim()));
              } catch (NumberFormatException e) {
                log.warn(
                    "Ignoring header {} that is not a number: '{}'",
                    key,
                    v.length() > 40 ? v.substring(0, 40) + "..." : v);
                return Optional.empty();
              }
            });
  }

  private static Optional<String> header(Headers headers, String key) {
    Header h = headers.lastHeader(key);
    return h == null
        ? Optional.empty()
        : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
  }

  private static void put(Headers headers, String key, String value) {
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
