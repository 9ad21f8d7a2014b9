package dev.agentyard.schemas.serde;

import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * How a subject name is derived, as in Confluent's serializers. Configured with {@code
 * key.subject.name.strategy} / {@code value.subject.name.strategy}, which accept Confluent's class
 * names, so an existing configuration keeps working.
 */
public enum SubjectNameStrategy {
  /** {@code <topic>-key} / {@code <topic>-value}: one schema lineage per topic (the default). */
  TOPIC_NAME,
  /** {@code <record full name>}: one lineage per record type, shared by every topic. */
  RECORD_NAME,
  /** {@code <topic>-<record full name>}: one lineage per record type per topic. */
  TOPIC_RECORD_NAME;

  public String subject(String topic, boolean isKey, Schema schema) {
    return switch (this) {
      case TOPIC_NAME -> topic + (isKey ? "-key" : "-value");
      case RECORD_NAME -> recordName(schema);
      case TOPIC_RECORD_NAME -> topic + "-" + recordName(schema);
    };
  }

  private static String recordName(Schema schema) {
    if (schema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException(
          "RecordNameStrategy needs a record schema, got " + schema.getType());
    }
    return schema.getFullName();
  }

  /**
   * Parses a configured strategy: a Confluent or Agentyard class name, a simple name, or an enum
   * name.
   */
  public static SubjectNameStrategy fromConfig(String key, Object value) {
    if (value == null) {
      return TOPIC_NAME;
    }
    if (value instanceof SubjectNameStrategy s) {
      return s;
    }
    String raw = value instanceof Class<?> c ? c.getName() : value.toString().trim();
    String simple = raw.substring(raw.lastIndexOf('.') + 1);
    return switch (simple.toLowerCase(Locale.ROOT).replace("_", "")) {
      case "topicnamestrategy", "topicname", "topic" -> TOPIC_NAME;
      case "recordnamestrategy", "recordname", "record" -> RECORD_NAME;
      case "topicrecordnamestrategy", "topicrecordname", "topicrecord" -> TOPIC_RECORD_NAME;
      default ->
          throw new ConfigException(
              key,
              raw,
              "unknown subject name strategy; use TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
    };
  }
}
