package dev.agentyard.workers.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last check before an answer leaves (containment when the injection screen missed): an agent
 * that read untrusted text must not emit what an injection would want out — a link to fetch or to
 * carry data away, or a full personal identifier. The prompt already forbids both; this holds even
 * when the model obeyed the document instead. A violation sends the task to review.
 */
final class OutputGuard {

  private static final Pattern URL =
      Pattern.compile(
          "(?i)\\b(?:https?|ftp|file)://[^\\s\"')\\]]+|\\bwww\\.[a-z0-9-]+\\.[a-z]{2,}[^\\s\"')]*|!\\[[^\\]]*]\\(");

  /**
   * An SSN (123-45-6789), a run of 8 or more digits (account, routing numbers), or digits in groups
   * of four (card and account numbers as printed); dates, amounts and phone numbers are none.
   */
  private static final Pattern IDENTIFIER =
      Pattern.compile(
          "(?<![\\d-])\\d{3}-\\d{2}-\\d{4}(?![\\d-])|(?<![\\d.,])\\d{8,}(?![\\d.,])"
              + "|(?<![\\d-])\\d{4}(?:[ -]\\d{4}){2,}(?![\\d-])");

  private OutputGuard() {}

  /** Why the answer must not leave, or empty when it may. */
  static Optional<String> violation(JsonNode answer) {
    return walk(answer, "");
  }

  private static Optional<String> walk(JsonNode n, String path) {
    if (n.isTextual()) {
      String s = n.asText();
      Matcher url = URL.matcher(s);
      if (url.find()) {
        return Optional.of(
            "the answer holds a link at " + pathOf(path) + " (" + host(url.group()) + ")");
      }
      Matcher id = IDENTIFIER.matcher(s);
      if (id.find()) {
        return Optional.of(
            "the answer holds a full identifier at "
                + pathOf(path)
                + " (ending "
                + id.group().substring(Math.max(0, id.group().length() - 2))
                + ")");
      }
      return Optional.empty();
    }
    if (n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        Optional<String> v = walk(e.getValue(), path + "/" + e.getKey());
        if (v.isPresent()) {
          return v;
        }
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        Optional<String> v = walk(n.get(i), path + "/" + i);
        if (v.isPresent()) {
          return v;
        }
      }
    }
    return Optional.empty();
  }

  private static String pathOf(String path) {
    return path.isEmpty() ? "/" : path;
  }

  /** Only the host of a link, for the review item: enough to see where it pointed. */
  private static String host(String url) {
    String s = url.replaceFirst("(?i)^[a-z]+://", "").replaceFirst("^!\\[[^\\]]*]\\(", "");
    int end = s.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = s.indexOf(c);
      if (i >= 0) {
        end = Math.min(end, i);
      }
    }
    return s.substring(0, end);
  }
}
