package dev.agentyard.dlq.inspect;

import static dev.agentyard.runtime.deadletter.DeadLetterHeaders.*;

import dev.agentyard.runtime.deadletter.DeadLetterHeaders;
import dev.agentyard.runtime.deadletter.RetryHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Bytes;

/**
 * One dead letter as an on-call engineer reads it: where it sits, where it came from, why it
 * failed, what it cost, how often it was replayed. Read from whichever header convention the record
 * carries (Agentyard's, Kafka Connect's, Spring Kafka's), so dead letters written by other tools
 * are browsed and replayed the same way.
 *
 * <p>Equal dead letters are the same record: position, content (bytes compared by content) and
 * everything read from its headers.
 *
 * @param content the record as it sits on the dead-letter topic: what a replay writes
 * @param origin where it came from, by whichever convention names it
 * @param failure why it failed
 * @param run what its failed run was and spent
 */
public record DeadLetter(
    String topic,
    int partition,
    long offset,
    Instant timestamp,
    Content content,
    Origin origin,
    Failure failure,
    Run run) {

  /**
   * The record's key, value and headers.
   *
   * @param key the key as text (for display and filters); {@code keyBytes} is what a replay writes
   * @param keyBytes null for a record without a key
   * @param value null for a tombstone
   */
  public record Content(String key, Bytes keyBytes, Bytes value, Headers headers) {

    /** The key's bytes, or null. */
    public byte[] keyArray() {
      return keyBytes == null ? null : keyBytes.get();
    }

    /** The value's bytes, or null. */
    public byte[] valueArray() {
      return value == null ? null : value.get();
    }

    public int valueSize() {
      return value == null ? 0 : value.get().length;
    }
  }

  /**
   * Where the record was consumed from before it failed; empty when no convention names it.
   *
   * @param topic where a replay sends it by default
   */
  public record Origin(
      Optional<String> topic, Optional<Integer> partition, Optional<Long> offset) {}

  /**
   * Why it failed.
   *
   * @param reason a {@code DeadLetterReason} name, {@code UNCLASSIFIED} for another tool's dead
   *     letter with an error, else {@code UNKNOWN}
   * @param stage where in the pipeline ({@code router}, {@code worker}, a Connect stage)
   */
  public record Failure(String reason, String errorClass, String message, String stage) {}

  /**
   * The run that failed.
   *
   * @param replayCount how many times the record was replayed before this failure
   * @param attempts delivery attempts before it was dead-lettered
   * @param tokensSpent tokens its failed run spent (0 when it never reached a model or nobody
   *     recorded it)
   */
  public record Run(
      String route,
      String model,
      String taskId,
      String traceId,
      int replayCount,
      int attempts,
      long tokensSpent,
      long costSpentMicroUsd) {}

  /** {@code <topic>/<partition>/<offset>}: the id of a dead letter in every command and API. */
  public String coordinates() {
    return coordinates(topic, partition, offset);
  }

  public static String coordinates(String topic, int partition, long offset) {
    return topic + "/" + partition + "/" + offset;
  }

  /**
   * A header as readable text: Spring's binary partition, offset and timestamp as numbers, other
   * non-UTF-8 bytes as hex.
   */
  public static String readable(Header h) {
    byte[] v = h.value();
    if (v == null) {
      return "";
    }
    if (h.key().equals(SPRING_ORIGINAL_PARTITION) && v.length == Integer.BYTES) {
      return Integer.toString(ByteBuffer.wrap(v).getInt());
    }
    if ((h.key().equals(SPRING_ORIGINAL_OFFSET) || h.key().equals(SPRING_ORIGINAL_TIMESTAMP))
        && v.length == Long.BYTES) {
      return Long.toString(ByteBuffer.wrap(v).getLong());
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(v))
          .toString();
    } catch (CharacterCodingException e) {
      return "0x"
          + HexFormat.of().formatHex(v, 0, Math.min(v.length, 64))
          + (v.length > 64 ? "..." : "");
    }
  }

  /** Parses a record of a dead-letter topic. */
  public static DeadLetter of(ConsumerRecord<byte[], byte[]> r) {
    Headers h = r.headers();
    Optional<String> originalTopic =
        text(h, ORIGINAL_TOPIC)
            .or(() -> text(h, CONNECT_TOPIC))
            .or(() -> text(h, SPRING_ORIGINAL_TOPIC))
            .or(() -> text(h, RetryHeaders.ORIGINAL_TOPIC));
    Optional<Integer> originalPartition =
        number(h, ORIGINAL_PARTITION)
            .or(() -> number(h, CONNECT_PARTITION))
            .or(() -> binary(h, SPRING_ORIGINAL_PARTITION))
            .map(Long::intValue);
    Optional<Long> originalOffset =
        number(h, ORIGINAL_OFFSET)
            .or(() -> number(h, CONNECT_OFFSET))
            .or(() -> binary(h, SPRING_ORIGINAL_OFFSET));
    String errorClass =
        text(h, ERROR_CLASS)
            .or(() -> text(h, CONNECT_EXCEPTION_CLASS))
            .or(() -> text(h, SPRING_EXCEPTION_FQCN))
            .orElse("");
    String message =
        text(h, ERROR_MESSAGE)
            .or(() -> text(h, CONNECT_EXCEPTION_MESSAGE))
            .or(() -> text(h, SPRING_EXCEPTION_MESSAGE))
            .orElse("");
    String reason = text(h, REASON).orElse(errorClass.isEmpty() ? "UNKNOWN" : "UNCLASSIFIED");
    String stage = text(h, STAGE).or(() -> text(h, CONNECT_STAGE)).orElse("");
    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    long replays =
        Math.max(number(h, REPLAY_COUNT).orElse(0L), number(h, REPLAYED_COUNT).orElse(0L));
    return new DeadLetter(
        r.topic(),
        r.partition(),
        r.offset(),
        Instant.ofEpochMilli(r.timestamp()),
        new Content(key, Bytes.wrap(r.key()), Bytes.wrap(r.value()), h),
        new Origin(originalTopic, originalPartition, originalOffset),
        new Failure(reason, errorClass, message, stage),
        new Run(
            text(h, ROUTE).orElse(""),
            text(h, MODEL).orElse(""),
            text(h, TASK_ID).orElse(key == null ? "" : key),
            text(h, TRACE_ID).orElse(""),
            (int) replays,
            number(h, ATTEMPTS).orElse(0L).intValue(),
            number(h, TOKENS_SPENT).orElse(0L),
            number(h, COST_SPENT_MICRO_USD).orElse(0L)));
  }

  /** Every header, in order, with its convention and readable value. */
  public List<String[]> headerRows() {
    List<String[]> rows = new ArrayList<>();
    for (Header x : content.headers()) {
      rows.add(new String[] {DeadLetterHeaders.convention(x.key()), x.key(), readable(x)});
    }
    return rows;
  }

  private static Optional<String> text(Headers h, String key) {
    Header x = h.lastHeader(key);
    return x == null || x.value() == null || x.value().length == 0
        ? Optional.empty()
        : Optional.of(new String(x.value(), StandardCharsets.UTF_8));
  }

  private static Optional<Long> number(Headers h, String key) {
    return text(h, key)
        .flatMap(
            v -> {
              try {
                return Optional.of(Long.parseLong(v.trim()));
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            });
  }

  private static Optional<Long> binary(Headers h, String key) {
    Header x = h.lastHeader(key);
    if (x == null || x.value() == null) {
      return Optional.empty();
    }
    if (x.value().length == Integer.BYTES) {
      return Optional.of((long) ByteBuffer.wrap(x.value()).getInt());
    }
    if (x.value().length == Long.BYTES) {
      return Optional.of(ByteBuffer.wrap(x.value()).getLong());
    }
    return number(h, key); // some producers write them as text
  }
}
