package dev.agentyard.runtime.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import org.apache.kafka.common.header.Headers;

/**
 * Spans of Agentyard's services, by the OpenTelemetry semantic conventions, and the bridge between
 * them and the {@code traceparent} header every record carries: a consumer's span continues the
 * trace its input names, and its outputs name that span. With the SDK off (no exporter) spans are
 * not recorded and the header still travels, each hop taking a new span id as before.
 */
public final class Tracing {

  /** Instrumentation scope of every Agentyard span. */
  public static final String SCOPE = "dev.agentyard";

  public static final AttributeKey<String> MESSAGING_SYSTEM =
      AttributeKey.stringKey("messaging.system");
  public static final AttributeKey<String> MESSAGING_OPERATION_TYPE =
      AttributeKey.stringKey("messaging.operation.type");
  public static final AttributeKey<String> MESSAGING_OPERATION_NAME =
      AttributeKey.stringKey("messaging.operation.name");
  public static final AttributeKey<String> MESSAGING_DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  public static final AttributeKey<String> MESSAGING_PARTITION =
      AttributeKey.stringKey("messaging.destination.partition.id");
  public static final AttributeKey<Long> MESSAGING_OFFSET =
      AttributeKey.longKey("messaging.kafka.offset");
  public static final AttributeKey<String> MESSAGING_KEY =
      AttributeKey.stringKey("messaging.kafka.message.key");
  public static final AttributeKey<String> MESSAGING_GROUP =
      AttributeKey.stringKey("messaging.consumer.group.name");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private final Tracer tracer;

  public Tracing(OpenTelemetry otel) {
    this.tracer = otel.getTracer(SCOPE);
  }

  /** Tracing that records nothing. */
  public static Tracing off() {
    return new Tracing(OpenTelemetry.noop());
  }

  public Tracer tracer() {
    return tracer;
  }

  /** The context of the span a record's {@code traceparent} names (the root context if none). */
  public static Context parentOf(Headers headers) {
    return TraceParent.from(headers)
        .map(
            tp ->
                Context.root()
                    .with(
                        Span.wrap(
                            SpanContext.createFromRemoteParent(
                                tp.traceId(),
                                tp.spanId(),
                                tp.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                                TraceState.getDefault()))))
        .orElse(Context.root());
  }

  /**
   * A Kafka {@code process} span for one record, child of the span its {@code traceparent} names
   * (messaging semantic conventions; the task id is the record key).
   */
  public Span process(
      String topic, int partition, long offset, String key, String group, Headers headers) {
    return tracer
        .spanBuilder("process " + topic)
        .setSpanKind(SpanKind.CONSUMER)
        .setParent(parentOf(headers))
        .setAttribute(MESSAGING_SYSTEM, "kafka")
        .setAttribute(MESSAGING_OPERATION_TYPE, "process")
        .setAttribute(MESSAGING_OPERATION_NAME, "process")
        .setAttribute(MESSAGING_DESTINATION, topic)
        .setAttribute(MESSAGING_PARTITION, Integer.toString(partition))
        .setAttribute(MESSAGING_OFFSET, offset)
        .setAttribute(MESSAGING_KEY, key)
        .setAttribute(MESSAGING_GROUP, group)
        .startSpan();
  }

  /**
   * A Kafka {@code send} span (kind PRODUCER) for a record about to be handed to a producer: child
   * of the span its {@code traceparent} names, which is rewritten to name the send span, so the
   * consumer's {@code process} span hangs under it. The caller ends it when the write is settled —
   * acknowledged, committed with its transaction, or aborted ({@link #settled}). A record without a
   * {@code traceparent}, or tracing off, gets a span that records nothing and keeps its header.
   */
  public Span publish(String topic, String key, Headers headers) {
    Context parent = parentOf(headers);
    if (!Span.fromContext(parent).getSpanContext().isValid()) {
      return Span.getInvalid();
    }
    Span span =
        tracer
            .spanBuilder("send " + topic)
            .setSpanKind(SpanKind.PRODUCER)
            .setParent(parent)
            .setAttribute(MESSAGING_SYSTEM, "kafka")
            .setAttribute(MESSAGING_OPERATION_TYPE, "send")
            .setAttribute(MESSAGING_OPERATION_NAME, "send")
            .setAttribute(MESSAGING_DESTINATION, topic)
            .setAttribute(MESSAGING_KEY, key)
            .startSpan();
    if (span.isRecording()) {
      traceParent(span, headers).writeTo(headers);
    }
    return span;
  }

  /**
   * Ends a {@link #publish} span: written, or not ({@code errorType} names why; null when written).
   */
  public static void settled(Span span, String errorType) {
    if (!span.isRecording()) {
      return;
    }
    if (errorType != null) {
      span.setAttribute(ERROR_TYPE, errorType);
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }

  /**
   * The {@code traceparent} an output of {@code span} carries: the span itself when it is recorded,
   * else (tracing off) a new span id in the input's trace, as every hop did before spans existed.
   */
  public static TraceParent traceParent(Span span, Headers input) {
    SpanContext c = span.getSpanContext();
    return span.isRecording() && c.isValid()
        ? new TraceParent(c.getTraceId(), c.getSpanId(), c.isSampled())
        : TraceParent.continueFrom(input);
  }
}
