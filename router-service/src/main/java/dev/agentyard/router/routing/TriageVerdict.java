package dev.agentyard.router.routing;

/**
 * What the triage route's model decided about a document the classifier was unsure of: a route
 * (or {@code none}), its confidence, and one sentence of reason. It comes back to the router as a
 * route hint from a trusted source and passes through the same guards as any other decision.
 */
public record TriageVerdict(String route, double confidence, String reason, String model) {

  public static final String NONE = "none";
}
