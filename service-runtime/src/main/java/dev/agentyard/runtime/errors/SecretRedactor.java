package dev.agentyard.runtime.errors;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes credentials from free text (exception messages, stack traces, provider error bodies)
 * before it leaves the process in a header, an event or a log line. Catches the shapes secrets take
 * in practice: bearer tokens, provider API keys, {@code user:pass@} in URLs, and {@code
 * password=...}-style assignments.
 */
public final class SecretRedactor {

  public static final String MASK = "[redacted]";

  private static final List<Pattern> PATTERNS =
      List.of(
          Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}"),
          Pattern.compile("(?i)(basic\\s+)[A-Za-z0-9+/=]{8,}"),
          Pattern.compile("()\\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}"),
          Pattern.compile("(://[^/\\s:@]+:)[^@\\s/]+(?=@)"),
          Pattern.compile(
              "(?i)((?:password|passwd|secret|api[_-]?key|x-api-key|token|user\\.info)[\"']?\\s*[:=]\\s*[\"']?)[^\\s\"',;&}]+"));

  private SecretRedactor() {}

  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (Pattern p : PATTERNS) {
      Matcher m = p.matcher(out);
      out = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK));
    }
    return out;
  }
}
