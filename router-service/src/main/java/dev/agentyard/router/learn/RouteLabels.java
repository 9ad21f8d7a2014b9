package dev.agentyard.router.learn;

import dev.agentyard.avro.LabelSource;
import dev.agentyard.avro.RouteLabel;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.router.routing.RouteSpec;
import dev.agentyard.router.routing.RouteTable;
import dev.agentyard.router.routing.TriageVerdict;
import dev.agentyard.schemas.labels.LabelText;
import java.time.Instant;
import java.util.Optional;

/**
 * Which routing decisions become labelled examples, and what class each teaches the classifier. A
 * route teaches its one classifier class ({@code router.route.<r>.classes}); {@code none} (no
 * specialist route) teaches {@link #OTHER}; a route with no class or several teaches nothing.
 */
public final class RouteLabels {

  /** The classifier's class for documents no specialist route serves. */
  public static final String OTHER = "other";

  private RouteLabels() {}

  /** The class a route decision teaches, if any. */
  public static Optional<String> classOf(String route, RouteTable routes) {
    if (TriageVerdict.NONE.equals(route)) {
      return Optional.of(OTHER);
    }
    return routes
        .get(route)
        .map(RouteSpec::classes)
        .filter(c -> c.size() == 1)
        .map(c -> c.iterator().next());
  }

  /**
   * The labelled example a triage verdict makes: only a verdict the router trusts (at least {@code
   * router.triage.min-confidence}) for a route that teaches a class.
   */
  public static Optional<RouteLabel> fromTriage(
      RoutedTask waiting, TriageVerdict verdict, String text, RouteTable routes, Instant at) {
    if (verdict.confidence() < routes.triageMinConfidence()
        || classOf(verdict.route(), routes).isEmpty()
        || text == null
        || text.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(
        RouteLabel.newBuilder()
            .setTaskId(waiting.getTaskId())
            .setTenant(waiting.getTask().getTenant())
            .setRoute(verdict.route())
            .setSource(LabelSource.TRIAGE)
            .setLabelledBy(verdict.model())
            .setConfidence(verdict.confidence())
            .setReason(verdict.reason().isBlank() ? null : verdict.reason())
            .setClassifierVersion(waiting.getDecision().getClassifierVersion())
            .setClassifierConfidence(waiting.getDecision().getConfidence())
            .setText(LabelText.of(text))
            .setLabelledAt(at)
            .build());
  }
}
