package dev.agentyard.runtime.tracing;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A W3C Trace Context {@code traceparent} ({@code 00-<trace id>-<parent id>-<flags>}), carried in a
 * Kafka header of the same name from the first event to the last. Each hop keeps the trace id and
 * takes a new span id ({@link #child()}).
 */
public record TraceParent(String traceId, String spanId, boolean sampled) {

  public static final String HEADER = "traceparent";
  private static final Pattern FORMAT =
      Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
  private static final String INVALID_TRACE = "0".repeat(32);
  private static final String INVALID_SPAN = "0".repeat(16);

  /** A fresh trace, for an event that arrives without one. */
  public static TraceParent newRoot() {
    return new TraceParent(randomHex(16), randomHex(8), true);
  }

  /**
   * Parses a header value; empty when it is malformed or uses the all-zero ids the spec forbids.
   */
  public static Optional<TraceParent> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    var m = FORMAT.matcher(value.trim());
    if (!m.matches() || m.group(1).equals(INVALID_TRACE) || m.group(2).equals(INVALID_SPAN)) {
      return Optional.empty();
    }
    boolean sampled = (Integer.parseInt(m.group(3), 16) & 1) == 1;
    return Optional.of(new TraceParent(m.group(1), m.group(2), sampled));
  }

  /** The trace in the record's headers (the last {@code traceparent} wins), if any. */
  public static Optional<TraceParent> from(Headers headers) {
    Header h = headers == null ? null : headers.lastHeader(HEADER);
    return h == null || h.value() == null
        ? Optional.empty()
        : parse(new String(h.value(), StandardCharsets.UTF_8));
  }

  /** The trace to continue: the incoming one's child, or a new root when there is none. */
  public static TraceParent continueFrom(Headers headers) {
    return from(headers).map(TraceParent::child).orElseGet(TraceParent::newRoot);
  }

  /** Same trace, new span: the hop this service makes. */
  public TraceParent child() {
    return new TraceParent(traceId, randomHex(8), sampled);
  }

  /** Replaces any {@code traceparent} header with this one. */
  public void writeTo(Headers headers) {
    headers.remove(HEADER);
    headers.add(HEADER, toString().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "00-" + traceId + "-" + spanId + "-" + (sampled ? "01" : "00");
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    do {
      ThreadLocalRandom.current().nextBytes(b);
    } while (allZero(b));
    return HexFormat.of().formatHex(b);
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }
}
