package dev.agentyard.simulator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets a scripted answer quote the document, as a model that reads it would: {@code
 * {{amount:<regex>}}} becomes the first money amount on the first line of the document matching the
 * regex (case-insensitive), digits only ({@code 84200.00}), or {@code null} when no line has one.
 */
final class Figures {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{amount:([^}]+)}}");
  private static final Pattern AMOUNT =
      Pattern.compile(
          "(?<![\\w.])\\$?\\s?(\\d{1,3}(?:,\\d{3})+(?:\\.\\d{2})?|\\d+\\.\\d{2})(?![\\w,])");

  private Figures() {}

  static String fill(String answer, String document) {
    if (answer.indexOf("{{amount:") < 0) {
      return answer;
    }
    Matcher m = PLACEHOLDER.matcher(answer);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(amount(m.group(1), document)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String amount(String label, String document) {
    Pattern wanted = Pattern.compile(label, Pattern.CASE_INSENSITIVE);
    for (String line : document.split("\\R")) {
      Matcher l = wanted.matcher(line);
      if (!l.find()) {
        continue;
      }
      Matcher a = AMOUNT.matcher(line.substring(l.end()));
      if (a.find()) {
        return a.group(1).replace(",", "");
      }
    }
    return "null";
  }
}
