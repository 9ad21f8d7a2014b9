package dev.agentyard.dlq.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.runtime.deadletter.DeadLetterHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

  static ConsumerRecord<byte[], byte[]> record(RecordHeaders h) {
    return new ConsumerRecord<>(
        "agent.route.income.v1.dlq",
        2,
        118,
        1_000L,
        TimestampType.CREATE_TIME,
        0,
        0,
        "t-1".getBytes(StandardCharsets.UTF_8),
        new byte[] {0},
        h,
        Optional.empty());
  }

  static RecordHeader h(String k, String v) {
    return new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsSpringKafkasBinaryHeaders() {
    RecordHeaders hs = new RecordHeaders();
    hs.add(h(DeadLetterHeaders.SPRING_ORIGINAL_TOPIC, "orders"));
    hs.add(
        new RecordHeader(
            DeadLetterHeaders.SPRING_ORIGINAL_PARTITION, ByteBuffer.allocate(4).putInt(5).array()));
    hs.add(
        new RecordHeader(
            DeadLetterHeaders.SPRING_ORIGINAL_OFFSET, ByteBuffer.allocate(8).putLong(77L).array()));
    hs.add(h(DeadLetterHeaders.SPRING_EXCEPTION_FQCN, "x.Boom"));

    DeadLetter d = DeadLetter.of(record(hs));

    assertThat(d.origin().topic()).contains("orders");
    assertThat(d.origin().partition()).contains(5);
    assertThat(d.origin().offset()).contains(77L);
    assertThat(d.failure().reason()).isEqualTo("UNCLASSIFIED");
    assertThat(d.headerRows())
        .anySatisfy(
            r ->
                assertThat(r)
                    .containsExactly("spring", DeadLetterHeaders.SPRING_ORIGINAL_PARTITION, "5"));
  }

  @Test
  void prefersAgentyardHeadersAndTakesTheHighestReplayCount() {
    RecordHeaders hs = new RecordHeaders();
    hs.add(h(DeadLetterHeaders.CONNECT_TOPIC, "from-connect"));
    hs.add(h(DeadLetterHeaders.ORIGINAL_TOPIC, "agent.route.income.v1"));
    hs.add(h(DeadLetterHeaders.REASON, "RETRIES_EXHAUSTED"));
    hs.add(h(DeadLetterHeaders.REPLAY_COUNT, "1"));
    hs.add(h(DeadLetterHeaders.REPLAYED_COUNT, "2"));
    hs.add(h(DeadLetterHeaders.TOKENS_SPENT, "1500"));
    hs.add(h(DeadLetterHeaders.COST_SPENT_MICRO_USD, "not-a-number"));

    DeadLetter d = DeadLetter.of(record(hs));

    assertThat(d.origin().topic()).contains("agent.route.income.v1");
    assertThat(d.failure().reason()).isEqualTo("RETRIES_EXHAUSTED");
    assertThat(d.run().replayCount()).isEqualTo(2);
    assertThat(d.run().tokensSpent()).isEqualTo(1500);
    assertThat(d.run().costSpentMicroUsd())
        .isZero(); // a garbled number reads as unknown, not as a crash
    assertThat(d.run().taskId()).isEqualTo("t-1"); // the key when no header names the task
    assertThat(d.coordinates()).isEqualTo("agent.route.income.v1.dlq/2/118");
  }

  @Test
  void showsBinaryHeaderValuesAsHex() {
    assertThat(DeadLetter.readable(new RecordHeader("x", new byte[] {(byte) 0xff, (byte) 0xfe})))
        .isEqualTo("0xfffe");
  }
}
