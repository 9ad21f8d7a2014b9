package dev.agentyard.stack;

import static dev.agentyard.stack.DeployFiles.DEPLOY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentyard.schemas.topics.TopicSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The structure of deploy/ (no Docker engine or Kubernetes cluster runs here, so these checks are
 * what stands between a typo and a broken deployment): compose, Kubernetes manifests, the Strimzi
 * topics and users generated from the catalogue, their least-privilege ACLs, alert rules and
 * dashboards. That every metric the rules and dashboards use is exposed is checked by {@link
 * LocalStackIT} against the running services.
 */
class DeployManifestsTest {

  static final List<String> SERVICES =
      List.of("router-service", "agent-workers", "cost-aggregator", "dlq-handler");

  @Test
  void composeRunsKafkaARegistryEveryServicePrometheusAndGrafana() throws Exception {
    JsonNode compose = DeployFiles.yaml(DEPLOY.resolve("docker-compose.yml"));
    assertThat(compose.toString()).as("anchors resolved").doesNotContain("\"<<\"");
    JsonNode services = compose.path("services");
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .contains("kafka", "registry", "topics", "prometheus", "grafana", "provider-simulator")
        .containsAll(SERVICES);
    assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText())
        .isEqualTo("broker,controller");
    for (String s : SERVICES) {
      JsonNode svc = services.path(s);
      String main = svc.path("command").get(0).asText();
      assertThat(Class.forName(main)).as(s + " main class").isNotNull();
      assertThat(svc.path("environment").path("AGENTYARD_KAFKA_BOOTSTRAP_SERVERS").asText())
          .isEqualTo("kafka:9092");
      assertThat(svc.path("healthcheck").path("test").toString()).contains("/health/ready");
      assertThat(svc.path("depends_on").path("topics").path("condition").asText())
          .isEqualTo("service_completed_successfully");
    }
    assertThat(Class.forName(services.path("topics").path("command").get(0).asText())).isNotNull();
    // every file it mounts exists
    for (String s : List.of("prometheus", "grafana")) {
      for (JsonNode v : services.path(s).path("volumes")) {
        Path host = DEPLOY.resolve(v.asText().split(":")[0]).normalize();
        assertThat(host).as(v.asText()).exists();
      }
    }
    JsonNode scrape =
        DeployFiles.yaml(DEPLOY.resolve("prometheus/prometheus.yml")).path("scrape_configs").get(0);
    assertThat(scrape.path("static_configs").get(0).path("targets").toString())
        .contains(
            "router-service:8082",
            "agent-workers:8083",
            "dlq-handler:8084",
            "cost-aggregator:8085");
    assertThat(Files.readString(DEPLOY.resolve("docker/Dockerfile")))
        .contains("FROM eclipse-temurin:21-jre")
        .contains("USER 10001");
  }

  @Test
  void everyServiceDeploymentHasProbesResourcesConfigAndItsOwnKafkaUser() throws Exception {
    List<JsonNode> docs = DeployFiles.yamlDocuments(DEPLOY.resolve("k8s/services.yaml"));
    Map<String, JsonNode> deployments = new HashMap<>();
    docs.stream()
        .filter(d -> Set.of("Deployment", "StatefulSet").contains(d.path("kind").asText()))
        .forEach(d -> deployments.put(d.path("metadata").path("name").asText(), d));
    assertThat(deployments.keySet()).containsExactlyInAnyOrderElementsOf(SERVICES);
    Set<String> users =
        DeployFiles.yamlDocuments(DEPLOY.resolve("k8s/users.yaml")).stream()
            .map(u -> u.path("metadata").path("name").asText())
            .collect(Collectors.toSet());
    for (var e : deployments.entrySet()) {
      JsonNode pod = e.getValue().path("spec").path("template");
      assertThat(pod.path("metadata").path("annotations").path("prometheus.io/scrape").asText())
          .isEqualTo("true");
      JsonNode c = pod.path("spec").path("containers").get(0);
      assertThat(Class.forName(c.path("args").get(0).asText())).isNotNull();
      assertThat(c.path("readinessProbe").path("httpGet").path("path").asText())
          .isEqualTo("/health/ready");
      assertThat(c.path("livenessProbe").path("httpGet").path("path").asText())
          .isEqualTo("/health/live");
      assertThat(c.path("resources").path("requests").has("memory")).isTrue();
      assertThat(c.path("resources").path("limits").has("memory")).isTrue();
      assertThat(c.path("envFrom").get(0).path("configMapRef").path("name").asText())
          .isEqualTo("agentyard-config");
      // the Kafka password comes from the Secret Strimzi creates for the service's own KafkaUser
      List<String> secretRefs = new ArrayList<>();
      c.path("env")
          .forEach(
              v -> {
                if (v.path("valueFrom").has("secretKeyRef")) {
                  secretRefs.add(v.path("valueFrom").path("secretKeyRef").path("name").asText());
                }
                assertThat(
                        v.has("value")
                            && v.path("name").asText().matches(".*(KEY|TOKEN|PASSWORD|JAAS).*")
                            && !v.path("name").asText().endsWith("__FILE"))
                    .as("secret inline in " + v)
                    .isFalse();
              });
      assertThat(secretRefs).contains(e.getKey());
      assertThat(users).contains(e.getKey());
    }
  }

  @Test
  void theStrimziTopicsAndUsersAreExactlyWhatTheCatalogueGenerates() throws Exception {
    List<TopicSpec> catalogue = DeployManifests.catalogue();
    assertThat(Files.readString(DEPLOY.resolve("k8s/topics.yaml")))
        .as("deploy/k8s/topics.yaml is stale: regenerate with DeployManifests")
        .isEqualTo(DeployManifests.topics(catalogue, 3));
    assertThat(Files.readString(DEPLOY.resolve("k8s/users.yaml")))
        .as("deploy/k8s/users.yaml is stale: regenerate with DeployManifests")
        .isEqualTo(DeployManifests.users(DeployManifests.access(catalogue)));
    List<JsonNode> topics = DeployFiles.yamlDocuments(DEPLOY.resolve("k8s/topics.yaml"));
    assertThat(topics).hasSize(catalogue.size());
    for (JsonNode t : topics) {
      assertThat(t.path("spec").path("replicas").asInt()).isEqualTo(3);
      assertThat(t.path("spec").path("config").path("min.insync.replicas").asText()).isEqualTo("2");
    }
  }

  @Test
  void eachServiceMayReadAndWriteOnlyItsOwnTopicsAndGroups() {
    Set<String> catalogue =
        DeployManifests.catalogue().stream().map(TopicSpec::name).collect(Collectors.toSet());
    Map<String, Set<String>> reads = new HashMap<>();
    Map<String, Set<String>> writes = new HashMap<>();
    Map<String, String> ownPrefix =
        Map.of(
            "router-service",
            "agentyard-router",
            "agent-workers",
            "agentyard-workers-",
            "cost-aggregator",
            "agentyard-cost-aggregator",
            "dlq-handler",
            "agentyard-dlq-console");
    for (JsonNode user : DeployFiles.yamlDocuments(DEPLOY.resolve("k8s/users.yaml"))) {
      String name = user.path("metadata").path("name").asText();
      for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
        JsonNode r = acl.path("resource");
        Set<String> ops = new HashSet<>();
        acl.path("operations").forEach(o -> ops.add(o.asText()));
        assertThat(ops)
            .as(name + " " + r)
            .doesNotContain("All", "Alter", "AlterConfigs", "ClusterAction");
        assertThat(r.path("name").asText()).as(name + " " + r).isNotEqualTo("*");
        if (r.path("type").asText().equals("topic")
            && r.path("patternType").asText().equals("literal")) {
          assertThat(catalogue)
              .as(name + " may only touch catalogue topics")
              .contains(r.path("name").asText());
          if (ops.contains("Read")) {
            reads.computeIfAbsent(name, k -> new HashSet<>()).add(r.path("name").asText());
          }
          if (ops.contains("Write")) {
            writes.computeIfAbsent(name, k -> new HashSet<>()).add(r.path("name").asText());
          }
        } else {
          // prefixed resources (groups, transactional ids, Streams internal topics) only under the
          // service's own name
          assertThat(r.path("name").asText()).as(name + " " + r).startsWith(ownPrefix.get(name));
        }
      }
    }
    // the flows of the pipeline, and nothing across them
    assertThat(writes.get("router-service"))
        .contains("agent.route.income.v1", "agent.review.v1", "agent.tasks.v1.dlq")
        .doesNotContain("agent.results.v1", "agent.usage.v1", "agent.tasks.v1");
    assertThat(reads.get("router-service"))
        .contains("agent.tasks.v1", "agent.results.v1")
        .doesNotContain("agent.usage.v1");
    assertThat(writes.get("agent-workers"))
        .contains(
            "agent.results.v1",
            "agent.usage.v1",
            "agent.route.income.v1.dlq",
            "agent.journal.income.v1")
        .doesNotContain(
            "agent.tasks.v1",
            "agent.route.income.v1",
            "agent.control.v1",
            "agent.cost.route.1m.v1");
    assertThat(reads.get("cost-aggregator"))
        .containsExactlyInAnyOrder(
            "agent.usage.v1",
            "agent.control.v1",
            "agent.budget.definitions.v1",
            "agent.budget.requests.v1");
    assertThat(writes.get("cost-aggregator"))
        .contains("agent.budget.alerts.v1", "agent.control.v1")
        .noneMatch(t -> t.startsWith("agent.route.") || t.equals("agent.results.v1"));
    // the console also shows on-call a run's journal, writes their kill/pause/resume commands and
    // reads the usage events dlq reconcile compares with a provider's export, and the results a
    // decided review item's page shows
    assertThat(reads.get("dlq-handler"))
        .contains("agent.usage.v1", "agent.results.v1")
        .allMatch(
            t ->
                t.contains(".dlq")
                    || t.startsWith("agent.dlq.")
                    || t.equals("agent.review.v1")
                    || t.equals("agent.usage.v1")
                    || t.equals("agent.results.v1")
                    || t.equals("agent.budget.definitions.v1")
                    || t.startsWith("agent.journal."));
    assertThat(writes.get("dlq-handler"))
        .contains("agent.control.v1")
        .doesNotContain("agent.usage.v1.dlq", "agent.cost.route.1m.v1")
        .noneMatch(t -> t.startsWith("agent.journal."));
  }

  @Test
  void theAlertRulesCoverWhatOnCallMustKnow() {
    Map<String, JsonNode> alerts = new HashMap<>();
    for (JsonNode g : DeployFiles.yaml(DEPLOY.resolve("prometheus/alerts.yml")).path("groups")) {
      g.path("rules").forEach(r -> alerts.put(r.path("alert").asText(), r));
    }
    assertThat(alerts.keySet())
        .contains(
            "AgentyardConsumerLagHigh",
            "AgentyardWorkerDeadLetterRate",
            "AgentyardRouterDeadLetterRate",
            "AgentyardBreakerOpen",
            "AgentyardBudgetExceeded",
            "AgentyardBudgetExhausted",
            "AgentyardBudgetLedgerSlow",
            "AgentyardProviderErrorRate",
            "AgentyardNoResults");
    alerts.forEach(
        (name, r) -> {
          assertThat(r.path("expr").asText()).as(name).isNotBlank();
          assertThat(r.path("labels").path("severity").asText())
              .as(name)
              .isIn("warning", "critical");
          assertThat(r.path("annotations").path("summary").asText()).as(name).isNotBlank();
          String runbook = r.path("annotations").path("runbook").asText("");
          if (!runbook.isEmpty()) {
            assertThat(DeployFiles.ROOT.resolve(runbook)).as(name + " runbook").exists();
          }
        });
  }

  @Test
  void theDashboardsArePanelsOverPrometheusWithAQueryEach() throws Exception {
    assertThat(DeployFiles.dashboards())
        .extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder("pipeline-overview.json", "cost.json", "workers.json");
    Set<String> uids = new HashSet<>();
    for (Path d : DeployFiles.dashboards()) {
      JsonNode dash = DeployFiles.JSON.readTree(d.toFile());
      assertThat(uids.add(dash.path("uid").asText())).as("unique uid " + d).isTrue();
      assertThat(dash.path("panels").size()).as(d.toString()).isGreaterThanOrEqualTo(6);
      dash.path("panels")
          .forEach(
              p -> {
                assertThat(p.path("datasource").path("uid").asText()).isEqualTo("prometheus");
                assertThat(p.path("targets").size()).isPositive();
                p.path("targets").forEach(t -> assertThat(t.path("expr").asText()).isNotBlank());
              });
    }
    assertThat(DeployFiles.referencedMetrics())
        .contains(
            "agentyard_cost_micro_usd_total",
            "agentyard_worker_in_flight",
            "gen_ai_client_token_usage__token__sum",
            "resilience4j_circuitbreaker_state",
            "kafka_consumer_fetch_manager_records_lag_max");
  }
}
