package dev.agentyard.schemas.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates missing catalogue topics and checks existing ones, idempotently. Drift (wrong partition
 * count, replication factor or config) is reported, never silently "fixed": changing partitions
 * re-keys data, and changing cleanup policy can delete it, so a human decides.
 */
public final class TopicProvisioner {

  /** What happened to one topic. */
  public enum Status {
    CREATED,
    UP_TO_DATE,
    DRIFTED,
    MISSING
  }

  /** The outcome for one topic, with each drift described. */
  public record TopicReport(String topic, Status status, List<String> drift) {
    @Override
    public String toString() {
      return String.format(
          "%-10s %s%s", status, topic, drift.isEmpty() ? "" : "  " + String.join("; ", drift));
    }
  }

  private final Admin admin;
  private final short replicationFactor;

  /**
   * @param replicationFactor replicas per partition for created topics, and the expected count for
   *     existing ones
   */
  public TopicProvisioner(Admin admin, short replicationFactor) {
    this.admin = admin;
    this.replicationFactor = replicationFactor;
  }

  /** Creates missing topics (unless validateOnly) and reports every topic's state. */
  public List<TopicReport> apply(List<TopicSpec> specs, boolean validateOnly)
      throws ExecutionException, InterruptedException {
    Set<String> existing = admin.listTopics().names().get();
    List<TopicSpec> missing = specs.stream().filter(s -> !existing.contains(s.name())).toList();
    List<TopicReport> reports = new ArrayList<>();
    List<TopicSpec> toCheck =
        new ArrayList<>(specs.stream().filter(s -> existing.contains(s.name())).toList());

    if (validateOnly) {
      missing.forEach(
          s ->
              reports.add(
                  new TopicReport(s.name(), Status.MISSING, List.of("topic does not exist"))));
    } else if (!missing.isEmpty()) {
      var result =
          admin.createTopics(
              missing.stream()
                  .map(
                      s ->
                          new NewTopic(s.name(), s.partitions(), replicationFactor)
                              .configs(s.configs()))
                  .toList());
      for (TopicSpec s : missing) {
        try {
          result.values().get(s.name()).get();
          reports.add(new TopicReport(s.name(), Status.CREATED, List.of()));
        } catch (ExecutionException e) {
          if (e.getCause() instanceof TopicExistsException) {
            toCheck.add(
                s); // created concurrently by another instance: check it like any existing topic
          } else {
            throw e;
          }
        }
      }
    }
    reports.addAll(check(toCheck));
    Map<String, Integer> order =
        specs.stream().collect(Collectors.toMap(TopicSpec::name, specs::indexOf, (a, b) -> a));
    reports.sort((a, b) -> Integer.compare(order.get(a.topic()), order.get(b.topic())));
    return reports;
  }

  private List<TopicReport> check(Collection<TopicSpec> specs)
      throws ExecutionException, InterruptedException {
    if (specs.isEmpty()) {
      return List.of();
    }
    List<String> names = specs.stream().map(TopicSpec::name).toList();
    Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get();
    Map<ConfigResource, Config> configs =
        admin
            .describeConfigs(
                names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList())
            .all()
            .get();
    Map<String, Config> configByTopic =
        configs.entrySet().stream()
            .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
    Map<String, TopicSpec> byName =
        specs.stream().collect(Collectors.toMap(TopicSpec::name, Function.identity()));

    List<TopicReport> out = new ArrayList<>();
    for (String name : names) {
      TopicSpec spec = byName.get(name);
      TopicDescription d = descriptions.get(name);
      List<String> drift = new ArrayList<>();
      if (d.partitions().size() != spec.partitions()) {
        drift.add("partitions: expected " + spec.partitions() + ", found " + d.partitions().size());
      }
      int rf = d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size();
      if (rf != replicationFactor) {
        drift.add("replication factor: expected " + replicationFactor + ", found " + rf);
      }
      Config actual = configByTopic.get(name);
      spec.configs()
          .forEach(
              (key, expected) -> {
                ConfigEntry entry = actual == null ? null : actual.get(key);
                String found = entry == null ? null : entry.value();
                if (!expected.equals(found)) {
                  drift.add(key + ": expected " + expected + ", found " + found);
                }
              });
      out.add(
          new TopicReport(
              name, drift.isEmpty() ? Status.UP_TO_DATE : Status.DRIFTED, List.copyOf(drift)));
    }
    return out;
  }
}
