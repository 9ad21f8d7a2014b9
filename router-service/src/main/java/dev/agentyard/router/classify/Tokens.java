package dev.agentyard.router.classify;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns document text into the classifier's tokens: Unicode NFKC, lower case, split on anything
 * that is not a letter or digit, every digit folded to {@code 0} (so an amount or a date counts by
 * its shape, not its value), at most {@code max} tokens (the start of a document says what it is;
 * the cap bounds the latency of a huge one).
 */
public final class Tokens {

  private Tokens() {}

  public static String[] of(String text, int max) {
    String norm = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    List<String> out = new ArrayList<>();
    StringBuilder tok = new StringBuilder();
    for (int i = 0; i < norm.length() && out.size() < max; i++) {
      char c = norm.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        tok.append(Character.isDigit(c) ? '0' : c);
      } else if (!tok.isEmpty()) {
        out.add(tok.toString());
        tok.setLength(0);
      }
    }
    if (!tok.isEmpty() && out.size() < max) {
      out.add(tok.toString());
    }
    return out.toArray(String[]::new);
  }
}
