package dev.agentyard.router.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;

/**
 * What the triage route's model decided about a document the classifier was unsure of: a route (or
 * {@code none}), its confidence, and one sentence of reason. It comes back to the router as a route
 * hint from a trusted source and passes through the same guards as any other decision.
 */
public record TriageVerdict(String route, double confidence, String reason, String model) {

  public static final String NONE = "none";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads the triage model's answer ({@code routes/triage.schema.json}); empty when it is not a
   * verdict (no textual route or no numeric confidence, or not JSON).
   *
   * @param model who answered, as {@code provider:model}
   */
  public static Optional<TriageVerdict> parse(String output, String model) {
    try {
      JsonNode n = output == null ? null : JSON.readTree(output);
      if (n == null || !n.path("route").isTextual() || !n.path("confidence").isNumber()) {
        return Optional.empty();
      }
      return Optional.of(
          new TriageVerdict(
              n.get("route").asText(),
              n.get("confidence").asDouble(),
              n.path("reason").asText(""),
              model));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
