package dev.agentyard.bench;

import dev.agentyard.cost.CostAggregatorApp;
import dev.agentyard.cost.CostAggregatorConfig;
import dev.agentyard.router.RouterApp;
import dev.agentyard.router.RouterConfig;
import dev.agentyard.schemas.topics.Topics;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * The two Kafka Streams services on records written before they start: the router (real topology,
 * real classifier trained at start, injection screen, PDF text extraction) on tasks, the cost
 * aggregator (real topology: de-duplication, three tumbling windows, budgets) on usage events. Each
 * run gets its own application id, so nothing of an earlier run is reused.
 */
public final class StreamsRuns {

  private StreamsRuns() {}

  /** The router with {@code instances} instances on everything in agent.tasks.v1. */
  static GroupProgress.Rate router(
      BenchCluster cluster, String run, int instances, Map<String, String> extra) throws Exception {
    return run(
        cluster,
        "router.application.id",
        "bench-router-" + run,
        Topics.TASKS.name(),
        instances,
        extra,
        settings -> RouterApp.start(RouterConfig.effective(settings)));
  }

  /** The cost aggregator with {@code instances} instances on everything in agent.usage.v1. */
  static GroupProgress.Rate cost(BenchCluster cluster, String run, int instances) throws Exception {
    return run(
        cluster,
        "cost.application.id",
        "bench-cost-" + run,
        Topics.USAGE.name(),
        instances,
        Map.of(),
        settings -> CostAggregatorApp.start(CostAggregatorConfig.effective(settings)));
  }

  private static GroupProgress.Rate run(
      BenchCluster cluster,
      String appIdKey,
      String appId,
      String input,
      int instances,
      Map<String, String> extra,
      Function<Map<String, String>, AutoCloseable> start)
      throws Exception {
    long total = Records.endOffsets(cluster.admin(), input);
    List<AutoCloseable> apps = new ArrayList<>();
    long t0 = System.nanoTime();
    try {
      for (int i = 0; i < instances; i++) {
        Map<String, String> c = cluster.serviceConfig();
        c.put(appIdKey, appId);
        c.put(
            "kafka.streams.state.dir",
            Files.createTempDirectory(cluster.dir(), appId + "-state").toString());
        c.putAll(extra);
        apps.add(start.apply(c));
      }
      return GroupProgress.await(cluster.admin(), appId, input, total, t0, Duration.ofMinutes(15));
    } finally {
      closeAll(apps);
    }
  }

  static void closeAll(List<? extends AutoCloseable> resources) {
    for (AutoCloseable r : resources.reversed()) {
      try {
        r.close();
      } catch (Exception e) {
        LoggerFactory.getLogger(StreamsRuns.class).warn("did not stop cleanly", e);
      }
    }
  }
}
