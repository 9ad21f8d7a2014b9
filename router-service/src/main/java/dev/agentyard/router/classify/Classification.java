package dev.agentyard.router.classify;

import java.util.Map;

/**
 * What the classifier says about one document.
 *
 * @param label the most probable class (a route name, or {@code other})
 * @param confidence its probability in [0, 1]
 * @param scores every class's probability
 * @param nanos how long classification took (tokenizing included)
 */
public record Classification(
    String label, double confidence, Map<String, Double> scores, long nanos) {

  /** The probability the classifier gives a class (0 for a class it does not know). */
  public double scoreOf(String label) {
    return scores.getOrDefault(label, 0.0);
  }
}
