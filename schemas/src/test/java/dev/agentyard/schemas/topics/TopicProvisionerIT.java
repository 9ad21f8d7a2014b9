package dev.agentyard.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaAndRegistryExtension.class)
class TopicProvisionerIT {

  private static List<TopicSpec> specs(String run) {
    return List.of(
        TopicSpec.avro(
            "prov." + run + ".tasks",
            TaskSubmitted.class,
            3,
            "delete",
            Duration.ofDays(7),
            "tasks"),
        TopicSpec.avro(
            "prov." + run + ".control",
            TaskSubmitted.class,
            1,
            "compact",
            Duration.ofDays(7),
            "control"));
  }

  @Test
  void createsMissingTopicsThenFindsThemUpToDate(KafkaCluster kafka) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = kafka.admin()) {
      TopicProvisioner p = new TopicProvisioner(admin, (short) 1);
      assertThat(p.apply(specs(run), false))
          .extracting(TopicProvisioner.TopicReport::status)
          .containsOnly(TopicProvisioner.Status.CREATED);
      assertThat(p.apply(specs(run), false))
          .extracting(TopicProvisioner.TopicReport::status)
          .containsOnly(TopicProvisioner.Status.UP_TO_DATE);
    }
  }

  @Test
  void reportsDriftInsteadOfIgnoringIt(KafkaCluster kafka) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = kafka.admin()) {
      TopicProvisioner p = new TopicProvisioner(admin, (short) 1);
      p.apply(specs(run), false);
      // someone grows the tasks topic and flips the control topic to delete
      // (retried: a just-created topic may not have reached every metadata cache yet)
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  admin
                      .createPartitions(
                          Map.of("prov." + run + ".tasks", NewPartitions.increaseTo(5)))
                      .all()
                      .get());
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  admin
                      .incrementalAlterConfigs(
                          Map.of(
                              new ConfigResource(
                                  ConfigResource.Type.TOPIC, "prov." + run + ".control"),
                              List.of(
                                  new AlterConfigOp(
                                      new ConfigEntry("cleanup.policy", "delete"),
                                      AlterConfigOp.OpType.SET))))
                      .all()
                      .get());

      // config changes reach describeConfigs through metadata propagation, so poll (bounded); while
      // the
      // new partitions propagate, describing them may answer UnknownTopicOrPartition (seen in a
      // full run)
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptionsInstanceOf(ExecutionException.class)
          .untilAsserted(
              () -> {
                List<TopicProvisioner.TopicReport> reports = p.apply(specs(run), false);
                assertThat(reports)
                    .extracting(TopicProvisioner.TopicReport::status)
                    .containsOnly(TopicProvisioner.Status.DRIFTED);
                assertThat(reports.get(0).drift())
                    .containsExactly("partitions: expected 3, found 5");
                assertThat(reports.get(1).drift())
                    .containsExactly("cleanup.policy: expected compact, found delete");
              });
    }
  }

  @Test
  void commandValidatesWithoutCreatingAndExitsWithDriftCode(KafkaCluster kafka) {
    String route = "r" + UUID.randomUUID().toString().substring(0, 6);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String[] args = {
      "--bootstrap-server",
      kafka.bootstrapServers(),
      "--replication-factor",
      "1",
      "--routes",
      route,
      "--validate-only"
    };
    // On a shared test cluster other tests may already have created core topics; the route topic is
    // new.
    int code =
        TopicCatalogueCommand.run(
            args, new PrintStream(out), new PrintStream(new ByteArrayOutputStream()));
    assertThat(code).isEqualTo(TopicCatalogueCommand.DRIFT);
    assertThat(out.toString()).contains("MISSING    agent.route." + route + ".v1");

    String[] create = {
      "--bootstrap-server", kafka.bootstrapServers(), "--replication-factor", "1", "--routes", route
    };
    assertThat(
            TopicCatalogueCommand.run(
                create, new PrintStream(new ByteArrayOutputStream()), System.err))
        .isEqualTo(TopicCatalogueCommand.OK);
    assertThat(
            TopicCatalogueCommand.run(
                args, new PrintStream(new ByteArrayOutputStream()), System.err))
        .isEqualTo(TopicCatalogueCommand.OK);
  }
}
