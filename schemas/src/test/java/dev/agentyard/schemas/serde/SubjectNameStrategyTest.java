package dev.agentyard.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentyard.avro.TaskSubmitted;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SubjectNameStrategyTest {

  @Test
  void derivesSubjectsLikeConfluent() {
    var schema = TaskSubmitted.getClassSchema();
    assertThat(SubjectNameStrategy.TOPIC_NAME.subject("agent.tasks.v1", false, schema))
        .isEqualTo("agent.tasks.v1-value");
    assertThat(SubjectNameStrategy.TOPIC_NAME.subject("agent.tasks.v1", true, schema))
        .isEqualTo("agent.tasks.v1-key");
    assertThat(SubjectNameStrategy.RECORD_NAME.subject("agent.tasks.v1", false, schema))
        .isEqualTo("dev.agentyard.avro.TaskSubmitted");
    assertThat(SubjectNameStrategy.TOPIC_RECORD_NAME.subject("agent.tasks.v1", false, schema))
        .isEqualTo("agent.tasks.v1-dev.agentyard.avro.TaskSubmitted");
  }

  @Test
  void acceptsConfluentClassNames() {
    assertThat(
            SubjectNameStrategy.fromConfig(
                "k", "io.confluent.kafka.serializers.subject.RecordNameStrategy"))
        .isEqualTo(SubjectNameStrategy.RECORD_NAME);
    assertThat(
            SubjectNameStrategy.fromConfig(
                "k", "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"))
        .isEqualTo(SubjectNameStrategy.TOPIC_RECORD_NAME);
    assertThat(SubjectNameStrategy.fromConfig("k", null)).isEqualTo(SubjectNameStrategy.TOPIC_NAME);
  }

  @Test
  void rejectsUnknownStrategyNamingTheKey() {
    assertThatThrownBy(
            () -> SubjectNameStrategy.fromConfig("value.subject.name.strategy", "com.acme.Mine"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("value.subject.name.strategy");
  }
}
