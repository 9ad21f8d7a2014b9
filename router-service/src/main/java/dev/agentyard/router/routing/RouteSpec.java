package dev.agentyard.router.routing;

import dev.agentyard.avro.ModelTier;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One route, as configured: where its tasks go and how they are served.
 *
 * @param name route name, e.g. {@code income}
 * @param topic topic its tasks are written to
 * @param tier model tier for ordinary documents
 * @param tierBySize larger tiers for long documents: text length (characters) from which a tier
 *     applies
 * @param enabled a disabled route sends its tasks to review
 * @param confidenceThreshold classifier confidence below which a document goes to triage instead
 * @param classes classifier classes that mean this route (empty: reached only by hint, triage or
 *     fan-out)
 * @param fanOut secondary routes that also get the task, each for a share of applications
 */
public record RouteSpec(
    String name,
    String topic,
    ModelTier tier,
    NavigableMap<Integer, ModelTier> tierBySize,
    boolean enabled,
    double confidenceThreshold,
    Set<String> classes,
    List<FanOut> fanOut) {

  /**
   * A secondary route and the share of applications (by correlation id) whose documents it also
   * gets.
   */
  public record FanOut(String route, double share) {
    public FanOut {
      if (share < 0 || share > 1) {
        throw new IllegalArgumentException(
            "fan-out share to " + route + " must be in [0, 1], got " + share);
      }
    }
  }

  public RouteSpec {
    Objects.requireNonNull(name);
    tierBySize = new TreeMap<>(tierBySize);
    classes = Set.copyOf(classes);
    fanOut = List.copyOf(fanOut);
    if (confidenceThreshold < 0 || confidenceThreshold > 1) {
      throw new IllegalArgumentException(
          "confidence threshold of route " + name + " must be in [0, 1]");
    }
  }

  /** The tier for a document of this many characters. */
  public ModelTier tierFor(int textChars) {
    Map.Entry<Integer, ModelTier> e = tierBySize.floorEntry(textChars);
    return e == null ? tier : e.getValue();
  }
}
