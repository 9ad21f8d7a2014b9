package dev.agentyard.runtime.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceParentTest {

  @Test
  void parsesAndFormatsW3cTraceparent() {
    String v = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    TraceParent t = TraceParent.parse(v).orElseThrow();
    assertThat(t.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(t.sampled()).isTrue();
    assertThat(t.toString()).isEqualTo(v);
  }

  @Test
  void rejectsMalformedAndAllZeroIds() {
    assertThat(TraceParent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01"))
        .isEmpty();
    assertThat(TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"))
        .isEmpty();
    assertThat(TraceParent.parse("garbage")).isEmpty();
    assertThat(TraceParent.parse(null)).isEmpty();
  }

  @Test
  void continuesTheIncomingTraceWithANewSpan() {
    RecordHeaders in = new RecordHeaders();
    in.add(
        "traceparent",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));

    TraceParent next = TraceParent.continueFrom(in);
    RecordHeaders out = new RecordHeaders();
    next.writeTo(out);
    next.writeTo(out);

    assertThat(next.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(next.spanId()).isNotEqualTo("00f067aa0ba902b7");
    assertThat(out.headers("traceparent")).hasSize(1);
  }

  @Test
  void startsANewTraceWhenNoneArrives() {
    TraceParent t = TraceParent.continueFrom(new RecordHeaders());
    assertThat(TraceParent.parse(t.toString())).contains(t);
  }
}
