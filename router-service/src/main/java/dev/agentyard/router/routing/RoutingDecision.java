package dev.agentyard.router.routing;

import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.RoutedTask;
import java.util.List;

/**
 * Where one task goes: one or more route topics (primary first, then fan-out copies), or review.
 */
public sealed interface RoutingDecision {

  /** To the primary route, plus any fan-out copies. */
  record Routed(List<RoutedTask> tasks) implements RoutingDecision {
    public Routed {
      tasks = List.copyOf(tasks);
    }

    public RoutedTask primary() {
      return tasks.get(0);
    }
  }

  /** To a human. */
  record Review(ReviewItem item) implements RoutingDecision {}
}
