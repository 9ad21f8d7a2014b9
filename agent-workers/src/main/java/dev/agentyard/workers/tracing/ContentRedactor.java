package dev.agentyard.workers.tracing;

import java.util.regex.Pattern;

/**
 * What captured content loses before it goes on a span: Social Security numbers, e-mail addresses,
 * and every run of six or more digits (card, account, routing, passport and licence numbers, with
 * or without separators); cut to {@link #MAX_CHARS}. Amounts keep their shape only below six
 * digits.
 */
final class ContentRedactor {

  static final int MAX_CHARS = 2_000;

  private static final Pattern SSN = Pattern.compile("\\b\\d{3}-\\d{2}-\\d{4}\\b");
  private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+");
  private static final Pattern LONG_NUMBER = Pattern.compile("\\d(?:[ -]?\\d){5,}");
  private static final Pattern ID_NUMBER = Pattern.compile("\\b[A-Z]{1,3}\\d{6,}\\b");

  private ContentRedactor() {}

  static String redact(String text) {
    if (text == null) {
      return "";
    }
    String out = SSN.matcher(text).replaceAll("[ssn]");
    out = EMAIL.matcher(out).replaceAll("[email]");
    out = ID_NUMBER.matcher(out).replaceAll("[id]");
    out = LONG_NUMBER.matcher(out).replaceAll("[number]");
    return out.length() <= MAX_CHARS ? out : out.substring(0, MAX_CHARS) + "…";
  }
}
