package dev.agentyard.dlq.audit;

import dev.agentyard.avro.AuditOutcome;
import dev.agentyard.avro.DlqAction;
import dev.agentyard.avro.DlqAuditEvent;
import dev.agentyard.runtime.errors.SecretRedactor;
import dev.agentyard.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Builds the {@link DlqAuditEvent} of an operator action, one per action (a replay of 500 records
 * is one event with its selection and counts). The record is sent in the action's own transaction,
 * so an action and its audit event are committed together or not at all.
 */
public final class AuditTrail {

  private final Serializer<DlqAuditEvent> serializer;
  private final Clock clock;

  public AuditTrail(Serializer<DlqAuditEvent> serializer, Clock clock) {
    this.serializer = serializer;
    this.clock = clock;
  }

  /** A new audit id. */
  public static String newId() {
    return UUID.randomUUID().toString();
  }

  /** An event with the fields every action has; the caller fills in the rest. */
  public DlqAuditEvent.Builder event(
      String auditId,
      DlqAction action,
      String actor,
      String reason,
      String sourceTopic,
      AuditOutcome outcome) {
    return DlqAuditEvent.newBuilder()
        .setAuditId(auditId)
        .setAction(action)
        .setActor(actor)
        .setReason(reason == null ? null : SecretRedactor.redact(reason))
        .setOccurredAt(clock.instant())
        .setSourceTopic(sourceTopic)
        .setOutcome(outcome);
  }

  /** The record to send. */
  public ProducerRecord<byte[], byte[]> record(DlqAuditEvent e) {
    if (e.getDetail() != null) {
      e.setDetail(SecretRedactor.redact(e.getDetail()));
    }
    String topic = Topics.DLQ_AUDIT.name();
    return new ProducerRecord<>(
        topic, e.getAuditId().getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, e));
  }
}
