package dev.agentyard.schemas.labels;

/**
 * The text a {@code RouteLabel} carries: the document as the classifier reads it, with every digit
 * folded to {@code 0} (the classifier folds digits anyway, so nothing it learns from is lost, and
 * amounts, dates, account, card and identity numbers never reach the labels topic) and cut to
 * {@link #MAX_CHARS} characters (the classifier reads a document's start).
 */
public final class LabelText {

  /** Characters of a document a labelled example keeps. */
  public static final int MAX_CHARS = 20_000;

  private LabelText() {}

  public static String of(String text) {
    if (text == null) {
      return "";
    }
    int n = Math.min(text.length(), MAX_CHARS);
    if (n < text.length() && Character.isHighSurrogate(text.charAt(n - 1))) {
      n--;
    }
    StringBuilder out = new StringBuilder(n);
    for (int i = 0; i < n; ) {
      int cp = text.codePointAt(i);
      out.appendCodePoint(Character.isDigit(cp) ? '0' : cp);
      i += Character.charCount(cp);
    }
    return out.toString();
  }
}
