package dev.agentyard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentyard.schemas.topics.TopicSpec;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.stack.DeployManifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 9 (deploy): the Kubernetes (Strimzi) users give each service exactly the topic access
 * its role in the pipeline needs — nothing more, nothing less — checked against the topic catalogue
 * with the roles written out here from the architecture, independently of the generator that wrote
 * the manifests. A missing grant would stop a service in production; an extra one would let a
 * compromised service write where it must not.
 */
@Tag("reliability")
class KubernetesAclTest {

  static final Path USERS = Path.of("../../deploy/k8s/users.yaml");

  @Test
  void eachServiceMayReadAndWriteExactlyWhatItsRoleNeeds() throws IOException {
    Set<String> all =
        DeployManifests.catalogue().stream()
            .map(TopicSpec::name)
            .collect(Collectors.toCollection(TreeSet::new));
    Predicate<String> route = t -> t.matches("agent\\.route\\.[a-z]+\\.v1");
    Predicate<String> retry = t -> t.matches("agent\\.route\\.[a-z]+\\.v1\\.retry\\.[0-9a-z]+");
    Predicate<String> routeDlq = t -> t.matches("agent\\.route\\.[a-z]+\\.v1\\.dlq");
    Predicate<String> dlq = t -> t.endsWith(".dlq");
    Predicate<String> parked = t -> t.endsWith(".dlq.parked");
    Predicate<String> cost = t -> t.startsWith("agent.cost.route.");
    Predicate<String> journal = t -> t.matches("agent\\.journal\\.[a-z]+\\.v1");
    String tasks = Topics.TASKS.name();
    String results = Topics.RESULTS.name();
    String review = Topics.REVIEW.name();
    String usage = Topics.USAGE.name();
    String control = "agent.control.v1";
    String budgets = Topics.BUDGET_DEFINITIONS.name();
    String budgetRequests = Topics.BUDGET_REQUESTS.name();
    String budgetReplies = Topics.BUDGET_REPLIES.name();

    Map<String, Map<String, String>> expected = new TreeMap<>();
    // router: reads tasks, triage verdicts and the kill switch; writes routed tasks, review items,
    // its dead letters; labelled examples and the classifier registry (its retraining job runs as
    // the router) both ways
    String labels = Topics.ROUTE_LABELS.name();
    String models = Topics.CLASSIFIER_MODELS.name();
    expected.put(
        "router-service",
        access(
            all,
            Set.of(tasks, review, results, control, labels, models),
            t ->
                route.test(t)
                    || t.equals(review)
                    || t.equals(tasks + ".dlq")
                    || t.equals(labels)
                    || t.equals(models)));
    // workers: read their routes and delay topics, the endings (results, review items, their dead
    // letters: a task ends once), their runs' journals and the kill switch; write endings, usage,
    // delays and journal steps
    expected.put(
        "agent-workers",
        access(
            all,
            t ->
                route.test(t)
                    || retry.test(t)
                    || t.equals(results)
                    || t.equals(review)
                    || routeDlq.test(t)
                    || journal.test(t)
                    || t.equals(control)
                    // the budgets, and the ledger's answers to their reservations
                    || t.equals(budgets)
                    || t.equals(budgetReplies),
            t ->
                t.equals(results)
                    || t.equals(review)
                    || t.equals(usage)
                    || retry.test(t)
                    || routeDlq.test(t)
                    || journal.test(t)
                    || t.equals(budgetRequests)));
    // cost aggregator: reads usage and the kill switch (budgets it paused); writes cost windows,
    // alerts, pauses, bad usage; its budget ledger reads the budgets and the requests, answers
    // them, and writes usage events to the requests topic as charges
    expected.put(
        "cost-aggregator",
        access(
            all,
            Set.of(usage, control, budgets, budgetRequests),
            t ->
                cost.test(t)
                    || t.equals("agent.budget.alerts.v1")
                    || t.equals(control)
                    || t.equals(usage + ".dlq")
                    || t.equals(budgetReplies)
                    || t.equals(budgetRequests)));
    // dlq console: reads dead letters, parked records, its memory, the review queue and the runs'
    // journals (on-call's view of a stuck run); writes kill/pause/resume commands and
    // replays (to any original
    // topic or delay topic), parked copies, its memory, and final results of rejected reviews
    expected.put(
        "dlq-handler",
        access(
            all,
            t ->
                dlq.test(t)
                    || parked.test(t)
                    || t.startsWith("agent.dlq.")
                    || t.equals(review)
                    || journal.test(t)
                    // the usage events dlq reconcile compares with a provider's export
                    || t.equals(usage)
                    // what came of a decided review item, on its console page
                    || t.equals(results)
                    // the budgets it sets (dlq budget set|delete)
                    || t.equals(budgets),
            t ->
                t.equals(tasks)
                    || route.test(t)
                    || retry.test(t)
                    || t.equals(usage)
                    || parked.test(t)
                    || t.startsWith("agent.dlq.")
                    || t.equals(results)
                    || t.equals(control)
                    || t.equals(budgets)
                    // a reviewer's route decision is a labelled example for the router
                    || t.equals(labels)));

    assertThat(granted()).isEqualTo(expected);
  }

  private static Map<String, String> access(
      Set<String> all, Set<String> reads, Predicate<String> writes) {
    return access(all, reads::contains, writes);
  }

  private static Map<String, String> access(
      Set<String> all, Predicate<String> reads, Predicate<String> writes) {
    Map<String, String> m = new TreeMap<>();
    for (String t : all) {
      String a = (reads.test(t) ? "R" : "") + (writes.test(t) ? "W" : "");
      if (!a.isEmpty()) {
        m.put(t, a);
      }
    }
    return m;
  }

  /** Service → topic → "R", "W" or "RW", from the literal topic ACLs of users.yaml. */
  private static Map<String, Map<String, String>> granted() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    Map<String, Map<String, String>> out = new TreeMap<>();
    try (var parser = yaml.getFactory().createParser(Files.readString(USERS))) {
      for (JsonNode user : yaml.readValues(parser, JsonNode.class).readAll()) {
        Map<String, Set<String>> ops = new TreeMap<>();
        for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
          JsonNode r = acl.path("resource");
          if (r.path("type").asText().equals("topic")
              && r.path("patternType").asText().equals("literal")) {
            acl.path("operations")
                .forEach(
                    o ->
                        ops.computeIfAbsent(r.path("name").asText(), k -> new TreeSet<>())
                            .add(o.asText()));
          }
        }
        Map<String, String> topics = new TreeMap<>();
        // a topic granted neither Read nor Write shows as "" and fails the comparison: no grant
        // without a role
        ops.forEach(
            (topic, o) ->
                topics.put(
                    topic, (o.contains("Read") ? "R" : "") + (o.contains("Write") ? "W" : "")));
        out.put(user.path("metadata").path("name").asText(), topics);
      }
    }
    return out;
  }
}
