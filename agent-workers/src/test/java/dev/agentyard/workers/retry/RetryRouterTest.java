package dev.agentyard.workers.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.runtime.deadletter.DeadLetterContext;
import dev.agentyard.runtime.deadletter.DeadLetterHeaders;
import dev.agentyard.runtime.deadletter.DeadLetterReason;
import dev.agentyard.runtime.deadletter.DeadLetterRecords;
import dev.agentyard.runtime.deadletter.RetryHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RetryRouterTest {

  private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private final RetryRouter router =
      new RetryRouter(
          List.of(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(10)),
          CLOCK,
          new DeadLetterRecords("agent-workers", CLOCK));
  private final DeadLetterContext ctx =
      DeadLetterContext.of(DeadLetterReason.UNEXPECTED, "model-call", "workers-income")
          .withTask("t-1", "income")
          .withSpend(1, "claude-haiku-4-5", 900, 1_200);

  private static ConsumerRecord<byte[], byte[]> record(String topic, Headers headers) {
    return new ConsumerRecord<>(
        topic,
        2,
        40L,
        1L,
        TimestampType.CREATE_TIME,
        3,
        4,
        "t-1".getBytes(),
        new byte[] {0, 1, 2, 3},
        headers,
        Optional.empty());
  }

  private static ConsumerRecord<byte[], byte[]> asConsumed(ProducerRecord<byte[], byte[]> p) {
    return record(p.topic(), p.headers());
  }

  private static String header(ProducerRecord<byte[], byte[]> r, String key) {
    return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }

  @Test
  void walksTheDelayTopicsThenDeadLetters() {
    RecordHeaders h = new RecordHeaders();
    h.add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".getBytes());
    ProducerRecord<byte[], byte[]> first =
        router.next(record("agent.route.income.v1", h), new RuntimeException("503"), ctx);
    assertThat(first.topic()).isEqualTo("agent.route.income.v1.retry.10s");
    assertThat(header(first, RetryHeaders.ATTEMPT)).isEqualTo("1");
    assertThat(header(first, RetryHeaders.NOT_BEFORE))
        .isEqualTo(Long.toString(NOW.plusSeconds(10).toEpochMilli()));
    assertThat(header(first, "traceparent")).startsWith("00-4bf92f");
    assertThat(first.key()).isEqualTo("t-1".getBytes());
    assertThat(first.value()).containsExactly(0, 1, 2, 3);

    ProducerRecord<byte[], byte[]> second =
        router.next(asConsumed(first), new RuntimeException("503"), ctx);
    assertThat(second.topic()).isEqualTo("agent.route.income.v1.retry.1m");
    assertThat(second.headers().headers(RetryHeaders.ATTEMPT)).hasSize(1);
    ProducerRecord<byte[], byte[]> third =
        router.next(asConsumed(second), new RuntimeException("503"), ctx);
    assertThat(third.topic()).isEqualTo("agent.route.income.v1.retry.10m");

    ProducerRecord<byte[], byte[]> dead =
        router.next(asConsumed(third), new RuntimeException("503 again"), ctx);
    assertThat(dead.topic()).isEqualTo("agent.route.income.v1.dlq");
    assertThat(header(dead, "agentyard.dlq.reason")).isEqualTo("RETRIES_EXHAUSTED");
    assertThat(header(dead, "agentyard.dlq.attempts")).isEqualTo("4");
    assertThat(header(dead, "agentyard.dlq.original.topic")).isEqualTo("agent.route.income.v1");
    assertThat(header(dead, "agentyard.dlq.tokens.spent")).isEqualTo("900");
    assertThat(dead.value()).containsExactly(0, 1, 2, 3);
  }

  @Test
  void theDeadLetterNamesTheRouteRecordNotTheRetryCopyItWasReadFrom() {
    // the route record sits at partition 2, offset 40; its retry copies land elsewhere on the delay
    // topics
    ProducerRecord<byte[], byte[]> first =
        router.next(
            record("agent.route.income.v1", new RecordHeaders()), new RuntimeException(), ctx);
    ConsumerRecord<byte[], byte[]> copy =
        new ConsumerRecord<>(
            first.topic(),
            0,
            7L,
            1L,
            TimestampType.CREATE_TIME,
            3,
            4,
            first.key(),
            first.value(),
            first.headers(),
            Optional.empty());
    ProducerRecord<byte[], byte[]> second = router.next(copy, new RuntimeException(), ctx);
    ConsumerRecord<byte[], byte[]> copy2 =
        new ConsumerRecord<>(
            second.topic(),
            1,
            3L,
            1L,
            TimestampType.CREATE_TIME,
            3,
            4,
            second.key(),
            second.value(),
            second.headers(),
            Optional.empty());
    ProducerRecord<byte[], byte[]> dlq = router.deadLetter(copy2, new RuntimeException(), ctx);
    assertThat(header(dlq, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo("agent.route.income.v1");
    assertThat(header(dlq, DeadLetterHeaders.ORIGINAL_PARTITION)).isEqualTo("2");
    assertThat(header(dlq, DeadLetterHeaders.ORIGINAL_OFFSET)).isEqualTo("40");
  }

  @Test
  void carriesWhatTheTaskHasSpentSoThatItsCostCapHoldsAcrossRetries() {
    ProducerRecord<byte[], byte[]> first =
        router.next(
            record("agent.route.income.v1", new RecordHeaders()), new RuntimeException(), ctx);
    assertThat(RetryRouter.spentBefore(asConsumed(first).headers())).isEqualTo(1_200);
    DeadLetterContext more =
        DeadLetterContext.of(DeadLetterReason.UNEXPECTED, "model-call", "workers-income")
            .withSpend(2, "m", 0, 3_000);
    ProducerRecord<byte[], byte[]> second =
        router.next(asConsumed(first), new RuntimeException(), more);
    assertThat(second.headers().headers(RetryHeaders.SPENT)).hasSize(1);
    assertThat(RetryRouter.spentBefore(second.headers())).isEqualTo(3_000);
    assertThat(RetryRouter.spentBefore(new RecordHeaders())).isZero();
  }

  @Test
  void aGarbledRetryHeaderIsTreatedAsAbsentInsteadOfFailing() {
    RecordHeaders h = new RecordHeaders();
    h.add(RetryHeaders.ATTEMPT, "two".getBytes(StandardCharsets.UTF_8));
    h.add(RetryHeaders.NOT_BEFORE, "soon".getBytes(StandardCharsets.UTF_8));
    h.add(RetryHeaders.SPENT, "lots".getBytes(StandardCharsets.UTF_8));
    ConsumerRecord<byte[], byte[]> garbled = record("agent.route.income.v1.retry.10s", h);
    assertThat(RetryRouter.attempts(h)).isZero();
    assertThat(RetryRouter.spentBefore(h)).isZero();
    assertThat(RetryRouter.remainingDelay(garbled, CLOCK)).isZero();
  }

  @Test
  void tellsHowLongARetriedRecordMustStillWait() {
    ProducerRecord<byte[], byte[]> retry =
        router.next(
            record("agent.route.income.v1", new RecordHeaders()), new RuntimeException(), ctx);
    ConsumerRecord<byte[], byte[]> consumed = asConsumed(retry);
    assertThat(RetryRouter.remainingDelay(consumed, CLOCK)).isEqualTo(Duration.ofSeconds(10));
    assertThat(
            RetryRouter.remainingDelay(consumed, Clock.fixed(NOW.plusSeconds(11), ZoneOffset.UTC)))
        .isZero();
    assertThat(RetryRouter.originalTopic(consumed)).isEqualTo("agent.route.income.v1");
  }

  @Test
  void keepsSecretsOutOfTheRetryHeaders() {
    ProducerRecord<byte[], byte[]> retry =
        router.next(
            record("agent.route.income.v1", new RecordHeaders()),
            new RuntimeException(
                "401 for Authorization: Bearer sk-ant-api03-ABCDEFGHIJKLMNOPQRSTUV"),
            ctx);
    assertThat(header(retry, RetryHeaders.LAST_ERROR)).doesNotContain("ABCDEFGHIJ");
  }
}
