package dev.agentyard.runtime.deadletter;

import java.util.List;

/**
 * Header names written on every dead letter: Spring Kafka's ({@code kafka_dlt-*}, binary numbers as
 * Spring writes them), Kafka Connect's ({@code __connect.errors.*}, strings), and Agentyard's
 * ({@code agentyard.dlq.*}, strings).
 */
public final class DeadLetterHeaders {

  // Spring Kafka (DeadLetterPublishingRecoverer / KafkaHeaders)
  public static final String SPRING_EXCEPTION_FQCN = "kafka_dlt-exception-fqcn";
  public static final String SPRING_EXCEPTION_CAUSE_FQCN = "kafka_dlt-exception-cause-fqcn";
  public static final String SPRING_EXCEPTION_MESSAGE = "kafka_dlt-exception-message";
  public static final String SPRING_EXCEPTION_STACKTRACE = "kafka_dlt-exception-stacktrace";
  public static final String SPRING_ORIGINAL_TOPIC = "kafka_dlt-original-topic";

  /** 4-byte big-endian int. */
  public static final String SPRING_ORIGINAL_PARTITION = "kafka_dlt-original-partition";

  /** 8-byte big-endian long. */
  public static final String SPRING_ORIGINAL_OFFSET = "kafka_dlt-original-offset";

  /** 8-byte big-endian long. */
  public static final String SPRING_ORIGINAL_TIMESTAMP = "kafka_dlt-original-timestamp";

  public static final String SPRING_ORIGINAL_TIMESTAMP_TYPE = "kafka_dlt-original-timestamp-type";
  public static final String SPRING_ORIGINAL_CONSUMER_GROUP = "kafka_dlt-original-consumer-group";

  // Kafka Connect (DeadLetterQueueReporter)
  public static final String CONNECT_TOPIC = "__connect.errors.topic";
  public static final String CONNECT_PARTITION = "__connect.errors.partition";
  public static final String CONNECT_OFFSET = "__connect.errors.offset";
  public static final String CONNECT_CONNECTOR_NAME = "__connect.errors.connector.name";
  public static final String CONNECT_TASK_ID = "__connect.errors.task.id";
  public static final String CONNECT_STAGE = "__connect.errors.stage";
  public static final String CONNECT_CLASS_NAME = "__connect.errors.class.name";
  public static final String CONNECT_EXCEPTION_CLASS = "__connect.errors.exception.class.name";
  public static final String CONNECT_EXCEPTION_MESSAGE = "__connect.errors.exception.message";
  public static final String CONNECT_EXCEPTION_STACKTRACE = "__connect.errors.exception.stacktrace";

  // Agentyard
  public static final String REASON = "agentyard.dlq.reason";
  public static final String STAGE = "agentyard.dlq.stage";
  public static final String SERVICE = "agentyard.dlq.service";
  public static final String ATTEMPTS = "agentyard.dlq.attempts";
  public static final String ROUTE = "agentyard.dlq.route";
  public static final String MODEL = "agentyard.dlq.model";
  public static final String TOKENS_SPENT = "agentyard.dlq.tokens.spent";
  public static final String COST_SPENT_MICRO_USD = "agentyard.dlq.cost.spent.micro.usd";
  public static final String REPLAY_COUNT = "agentyard.dlq.replay.count";
  public static final String TRACE_ID = "agentyard.dlq.trace.id";
  public static final String TASK_ID = "agentyard.dlq.task.id";
  public static final String FAILED_AT = "agentyard.dlq.failed.at";
  public static final String ORIGINAL_TOPIC = "agentyard.dlq.original.topic";
  public static final String ORIGINAL_PARTITION = "agentyard.dlq.original.partition";
  public static final String ORIGINAL_OFFSET = "agentyard.dlq.original.offset";
  public static final String ERROR_CLASS = "agentyard.dlq.error.class";
  public static final String ERROR_MESSAGE = "agentyard.dlq.error.message";

  /**
   * Set by a replay on the record it re-publishes; copied into {@link #REPLAY_COUNT} if it fails
   * again.
   */
  public static final String REPLAYED_COUNT = "agentyard.replay.count";

  // Replay provenance, set by the dlq-handler on every record it re-publishes
  /** The audited replay action that re-published the record (DlqAuditEvent.auditId). */
  public static final String REPLAY_ID = "agentyard.replay.id";

  /** Where the replayed copy came from: {@code <dead-letter topic>/<partition>/<offset>}. */
  public static final String REPLAY_SOURCE = "agentyard.replay.source";

  /** Who replayed it. */
  public static final String REPLAY_ACTOR = "agentyard.replay.actor";

  /** When it was replayed (ISO-8601 UTC). */
  public static final String REPLAY_AT = "agentyard.replay.at";

  /** Why the record was parked (on the parking topic). */
  public static final String PARKED_REASON = "agentyard.parked.reason";

  /** Who parked it. */
  public static final String PARKED_BY = "agentyard.parked.by";

  /** When it was parked (ISO-8601 UTC). */
  public static final String PARKED_AT = "agentyard.parked.at";

  /**
   * Which convention a header belongs to: {@code spring}, {@code connect}, {@code agentyard} (a
   * dead letter's context), {@code agentyard-delivery} (retry, replay and parking bookkeeping), or
   * {@code record} (a header the producer wrote).
   */
  public static String convention(String key) {
    if (key.startsWith("kafka_dlt-")) {
      return "spring";
    }
    if (key.startsWith("__connect.errors.")) {
      return "connect";
    }
    if (key.startsWith("agentyard.dlq.")) {
      return "agentyard";
    }
    if (key.startsWith("agentyard.replay.")
        || key.startsWith("agentyard.retry.")
        || key.startsWith("agentyard.parked.")
        || key.equals(RetryHeaders.SPENT)) {
      return "agentyard-delivery";
    }
    return "record";
  }

  /**
   * Whether a header is bookkeeping of a failure, retry or replay rather than one the producer
   * wrote: dropped when a dead letter is replayed, so the copy starts fresh (its replay count and
   * provenance are written anew).
   */
  public static boolean isBookkeeping(String key) {
    return !convention(key).equals("record");
  }

  /**
   * Every header name the publisher writes; older copies are removed first so the latest failure
   * wins.
   */
  public static final List<String> ALL_WRITTEN =
      List.of(
          SPRING_EXCEPTION_FQCN,
          SPRING_EXCEPTION_CAUSE_FQCN,
          SPRING_EXCEPTION_MESSAGE,
          SPRING_EXCEPTION_STACKTRACE,
          SPRING_ORIGINAL_TOPIC,
          SPRING_ORIGINAL_PARTITION,
          SPRING_ORIGINAL_OFFSET,
          SPRING_ORIGINAL_TIMESTAMP,
          SPRING_ORIGINAL_TIMESTAMP_TYPE,
          SPRING_ORIGINAL_CONSUMER_GROUP,
          CONNECT_TOPIC,
          CONNECT_PARTITION,
          CONNECT_OFFSET,
          CONNECT_CONNECTOR_NAME,
          CONNECT_TASK_ID,
          CONNECT_STAGE,
          CONNECT_CLASS_NAME,
          CONNECT_EXCEPTION_CLASS,
          CONNECT_EXCEPTION_MESSAGE,
          CONNECT_EXCEPTION_STACKTRACE,
          REASON,
          STAGE,
          SERVICE,
          ATTEMPTS,
          ROUTE,
          MODEL,
          TOKENS_SPENT,
          COST_SPENT_MICRO_USD,
          REPLAY_COUNT,
          TRACE_ID,
          TASK_ID,
          FAILED_AT,
          ORIGINAL_TOPIC,
          ORIGINAL_PARTITION,
          ORIGINAL_OFFSET,
          ERROR_CLASS,
          ERROR_MESSAGE);

  private DeadLetterHeaders() {}
}
