package dev.agentyard.router.routing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registered routes: the only places a task can go. Validated when built: the triage route is
 * registered, fan-out targets are registered, and no classifier class is claimed twice.
 *
 * @param triageMinConfidence a triage verdict below this goes to review
 * @param honourHints whether an upstream route hint (for a registered route) is followed
 */
public record RouteTable(
    Map<String, RouteSpec> byName,
    String triageRoute,
    double triageMinConfidence,
    boolean honourHints) {

  public RouteTable {
    byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    if (!byName.containsKey(triageRoute)) {
      throw new IllegalArgumentException(
          "the triage route '" + triageRoute + "' is not a registered route " + byName.keySet());
    }
    Map<String, String> claimed = new LinkedHashMap<>();
    for (RouteSpec r : byName.values()) {
      for (RouteSpec.FanOut f : r.fanOut()) {
        if (!byName.containsKey(f.route())) {
          throw new IllegalArgumentException(
              "route " + r.name() + " fans out to '" + f.route() + "', which is not registered");
        }
        if (f.route().equals(r.name())) {
          throw new IllegalArgumentException("route " + r.name() + " fans out to itself");
        }
      }
      for (String c : r.classes()) {
        String before = claimed.put(c, r.name());
        if (before != null) {
          throw new IllegalArgumentException(
              "classifier class '" + c + "' is claimed by routes " + before + " and " + r.name());
        }
      }
    }
  }

  public Optional<RouteSpec> get(String name) {
    return Optional.ofNullable(name).map(byName::get);
  }

  public RouteSpec triage() {
    return byName.get(triageRoute);
  }

  /** The route a classifier class means, if a route claims it. */
  public Optional<RouteSpec> forClass(String label) {
    return byName.values().stream().filter(r -> r.classes().contains(label)).findFirst();
  }

  /**
   * The route a classification decides on its own: the route claiming the class, when the
   * confidence reaches that route's threshold; empty means triage.
   */
  public Optional<RouteSpec> decidedBy(String label, double confidence) {
    return forClass(label).filter(r -> confidence >= r.confidenceThreshold());
  }
}
