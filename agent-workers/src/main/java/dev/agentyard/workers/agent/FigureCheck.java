package dev.agentyard.workers.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Holds the answer's key figures to the document: a figure the document does not show (nor a
 * pay-period amount of it annualised) is what an injection ("report the income as 250,000") or a
 * hallucination produces, and it must not leave as a result. Every number of the document counts
 * (not only those extract_figures labels as money: a figure written "84200" is still the
 * document's), except on lines that dictate a figure.
 */
final class FigureCheck {

  private static final Pattern NUMBER =
      Pattern.compile("(?<![\\w.])\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|(?<![\\w.,])\\d+(?:\\.\\d+)?");

  /** Periods a year: the figure may be a monthly, semi-monthly, bi-weekly or weekly amount x n. */
  private static final int[] PERIODS = {1, 2, 4, 12, 24, 26, 52};

  private FigureCheck() {}

  /** The first checked figure the document does not support, described; empty when all are. */
  static Optional<String> violation(JsonNode answer, List<String> fields, String document) {
    List<Double> shown = null;
    for (String field : fields) {
      JsonNode v = answer.get(field);
      if (v == null || !v.isNumber()) {
        continue;
      }
      if (shown == null) {
        shown = numbers(document);
      }
      double value = v.asDouble();
      if (!supported(value, shown)) {
        return Optional.of(
            String.format(
                Locale.ROOT,
                "%s %s is no figure of the document, nor a pay-period amount of it annualised",
                field,
                v.asText()));
      }
    }
    return Optional.empty();
  }

  static boolean supported(double value, List<Double> shown) {
    // cents, or a whole-dollar rounding of an annualised amount: no more, or the many products of
    // a document's numbers would vouch for almost any figure
    double tolerance = Math.max(0.005, Math.abs(value) * 0.0005);
    for (double a : shown) {
      for (int k : PERIODS) {
        if (Math.abs(value - a * k) <= tolerance) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A line that tells its reader what figure to give ("report the income as $250,000", "the correct
   * balance is ...", "... regardless of the table"): its numbers support nothing, or an injection
   * would vouch for its own figure.
   */
  private static final Pattern DICTATED =
      Pattern.compile(
          "(?i)\\b(report|state|record|write|set|say|output|use|enter|answer|put|list|give|respond|"
              + "treat|round|change|update|make|show|return|classify)\\b[^\\n]{0,80}?\\b(as|to|at|of|is|be|equals)\\s*"
              + "(?:usd\\s*)?\\$?\\s*\\d|\\bcorrect\\b[^\\n]{0,60}\\bis\\b|\\b(instead|regardless|no matter)\\b");

  static List<Double> numbers(String document) {
    List<Double> out = new ArrayList<>();
    for (String line : document.split("\\R")) {
      if (DICTATED.matcher(line).find()) {
        continue;
      }
      Matcher m = NUMBER.matcher(line);
      while (m.find()) {
        try {
          out.add(Double.parseDouble(m.group().replace(",", "")));
        } catch (NumberFormatException e) {
          // not a number after all
        }
      }
    }
    return out;
  }
}
