package dev.agentyard.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void catalogueHasEveryTopicOnceWithRetriesAndDeadLettersPerRoute() {
    List<TopicSpec> all = Topics.catalogue(Topics.DEFAULT_ROUTES);
    List<String> names = all.stream().map(TopicSpec::name).toList();
    assertThat(names)
        .doesNotHaveDuplicates()
        .contains(
            "agent.tasks.v1",
            "agent.tasks.v1.dlq",
            "agent.route.income.v1",
            "agent.route.income.v1.retry.10s",
            "agent.route.income.v1.retry.1m",
            "agent.route.income.v1.retry.10m",
            "agent.route.income.v1.dlq",
            "agent.review.v1",
            "agent.results.v1",
            "agent.usage.v1",
            "agent.cost.route.1m.v1",
            "agent.cost.route.1h.v1",
            "agent.cost.route.1d.v1",
            "agent.budget.alerts.v1",
            "agent.budget.definitions.v1",
            "agent.budget.requests.v1",
            "agent.budget.replies.v1",
            "agent.control.v1",
            "agent.dlq.audit.v1",
            "agent.dlq.dispositions.v1",
            "agent.router.labels.v1",
            "agent.router.models.v1",
            "agent.tasks.v1.dlq.parked",
            "agent.route.income.v1.dlq.parked");
    assertThat(Topics.DLQ_DISPOSITIONS.configs()).containsEntry("cleanup.policy", "compact");
    assertThat(Topics.CLASSIFIER_MODELS.configs())
        .containsEntry("cleanup.policy", "compact")
        .containsEntry("max.message.bytes", Integer.toString(TopicSpec.DOCUMENT_MAX_MESSAGE_BYTES));
    assertThatThrownBy(() -> Topics.parked(Topics.TASKS))
        .hasMessageContaining("not a dead-letter topic");
    assertThat(Topics.CONTROL.configs())
        .containsEntry("cleanup.policy", "compact")
        .doesNotContainKey("retention.ms");
    assertThat(Topics.deadLetter(Topics.TASKS).keyFormat())
        .isEqualTo(TopicSpec.KeyFormat.RAW_BYTES);
    assertThat(Topics.deadLetter(Topics.TASKS).valueType()).isEmpty();
  }

  @Test
  void labelsRetryDelays() {
    assertThat(Topics.label(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(Topics.label(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Topics.label(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(Topics.label(Duration.ofDays(1))).isEqualTo("1d");
    assertThatThrownBy(() -> Topics.label(Duration.ofMillis(1500)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsRouteNamesThatWouldMakeOddTopics() {
    assertThatThrownBy(() -> Topics.route("Income Docs")).hasMessageContaining("Income Docs");
    assertThatThrownBy(() -> Topics.route("../x")).isInstanceOf(IllegalArgumentException.class);
  }
}
