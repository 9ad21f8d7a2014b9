package dev.agentyard.runtime.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterRecordsTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
  private static final byte[] KEY = "task-42".getBytes(StandardCharsets.UTF_8);
  private static final byte[] VALUE = {0, 0, 0, 0, 7, (byte) 0xde, (byte) 0xad};

  private static ConsumerRecord<byte[], byte[]> failed(Headers headers) {
    return new ConsumerRecord<>(
        "agent.route.income.v1",
        3,
        118L,
        1_700_000_000_000L,
        TimestampType.CREATE_TIME,
        KEY.length,
        VALUE.length,
        KEY,
        VALUE,
        headers,
        Optional.empty());
  }

  private static String str(ProducerRecord<byte[], byte[]> r, String key) {
    return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }

  @Test
  void keepsKeyValueHeadersAndPartitionAndAddsAllThreeConventions() {
    RecordHeaders in = new RecordHeaders();
    in.add(
        "traceparent",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));
    in.add("tenant", "acme".getBytes(StandardCharsets.UTF_8));
    in.add("agentyard.replay.count", "2".getBytes(StandardCharsets.UTF_8));
    DeadLetterRecords records = new DeadLetterRecords("agent-workers", CLOCK);
    DeadLetterContext ctx =
        DeadLetterContext.of(DeadLetterReason.RETRIES_EXHAUSTED, "model-call", "workers-income")
            .withTask("task-42", "income")
            .withSpend(4, "claude-haiku-4-5", 5_120, 9_800);

    ProducerRecord<byte[], byte[]> dlq =
        records.toDeadLetter(
            failed(in), new IllegalStateException("provider kept answering 503"), ctx);

    assertThat(dlq.topic()).isEqualTo("agent.route.income.v1.dlq");
    assertThat(dlq.partition()).isEqualTo(3);
    assertThat(dlq.key()).isEqualTo(KEY);
    assertThat(dlq.value()).isEqualTo(VALUE);
    assertThat(str(dlq, "tenant")).isEqualTo("acme");
    assertThat(str(dlq, "traceparent")).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736");
    // Spring Kafka: numbers are binary
    assertThat(str(dlq, "kafka_dlt-original-topic")).isEqualTo("agent.route.income.v1");
    assertThat(
            ByteBuffer.wrap(dlq.headers().lastHeader("kafka_dlt-original-partition").value())
                .getInt())
        .isEqualTo(3);
    assertThat(
            ByteBuffer.wrap(dlq.headers().lastHeader("kafka_dlt-original-offset").value())
                .getLong())
        .isEqualTo(118L);
    assertThat(str(dlq, "kafka_dlt-exception-fqcn")).isEqualTo("java.lang.IllegalStateException");
    assertThat(str(dlq, "kafka_dlt-exception-message")).isEqualTo("provider kept answering 503");
    assertThat(str(dlq, "kafka_dlt-original-consumer-group")).isEqualTo("workers-income");
    // Kafka Connect: strings
    assertThat(str(dlq, "__connect.errors.topic")).isEqualTo("agent.route.income.v1");
    assertThat(str(dlq, "__connect.errors.partition")).isEqualTo("3");
    assertThat(str(dlq, "__connect.errors.offset")).isEqualTo("118");
    assertThat(str(dlq, "__connect.errors.exception.stacktrace")).contains("DeadLetterRecordsTest");
    // Agentyard
    assertThat(str(dlq, "agentyard.dlq.reason")).isEqualTo("RETRIES_EXHAUSTED");
    assertThat(str(dlq, "agentyard.dlq.stage")).isEqualTo("model-call");
    assertThat(str(dlq, "agentyard.dlq.attempts")).isEqualTo("4");
    assertThat(str(dlq, "agentyard.dlq.route")).isEqualTo("income");
    assertThat(str(dlq, "agentyard.dlq.model")).isEqualTo("claude-haiku-4-5");
    assertThat(str(dlq, "agentyard.dlq.tokens.spent")).isEqualTo("5120");
    assertThat(str(dlq, "agentyard.dlq.replay.count")).isEqualTo("2");
    assertThat(str(dlq, "agentyard.dlq.trace.id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(str(dlq, "agentyard.dlq.task.id")).isEqualTo("task-42");
    assertThat(str(dlq, "agentyard.dlq.failed.at")).isEqualTo("2026-11-21T12:00:00Z");
  }

  @Test
  void aSecondFailureReplacesTheFirstFailuresHeaders() {
    DeadLetterRecords records = new DeadLetterRecords("router-service", CLOCK);
    ProducerRecord<byte[], byte[]> first =
        records.toDeadLetter(
            failed(new RecordHeaders()),
            new RuntimeException("first"),
            DeadLetterContext.of(DeadLetterReason.UNEXPECTED, "route", "router"));

    ProducerRecord<byte[], byte[]> second =
        records.toDeadLetter(
            failed(first.headers()),
            new RuntimeException("second"),
            DeadLetterContext.of(DeadLetterReason.INVALID_CONTENT, "route", "router"));

    assertThat(second.headers().headers("agentyard.dlq.reason")).hasSize(1);
    assertThat(str(second, "agentyard.dlq.reason")).isEqualTo("INVALID_CONTENT");
    assertThat(str(second, "kafka_dlt-exception-message")).isEqualTo("second");
  }

  @Test
  void neverCarriesCredentialsFromTheErrorText() {
    DeadLetterRecords records = new DeadLetterRecords("agent-workers", CLOCK);
    RuntimeException error =
        new RuntimeException("401 Unauthorized for x-api-key: sk-ant-api03-SECRETSECRETSECRET12");

    ProducerRecord<byte[], byte[]> dlq =
        records.toDeadLetter(
            failed(new RecordHeaders()),
            error,
            DeadLetterContext.of(DeadLetterReason.UNEXPECTED, "model-call", "workers"));

    dlq.headers()
        .forEach(
            h ->
                assertThat(new String(h.value(), StandardCharsets.ISO_8859_1))
                    .doesNotContain("SECRETSECRET"));
  }
}
