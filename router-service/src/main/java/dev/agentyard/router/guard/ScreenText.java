package dev.agentyard.router.guard;

import java.util.ArrayList;
import java.util.List;

/**
 * The readings of a document the learned screen scores, each undoing one way attackers hide text:
 * the text itself (NFKC, look-alike letters folded, invisible and bidi-control characters removed,
 * lower case), Unicode tag characters decoded to the ASCII they carry, letters spaced or dotted
 * apart joined again, each line reversed (and text after a right-to-left override read the other
 * way), each line in rot13, digits read as letters, and base64 runs decoded. A window of every
 * reading is scored; the document's score is the highest.
 */
public final class ScreenText {

  private ScreenText() {}

  /** The windows to score: lines, and two and three adjacent lines joined, of every reading. */
  public static List<String> windows(String raw) {
    List<String> out = new ArrayList<>();
    for (String reading : readings(raw)) {
      String[] lines = reading.split("\n");
      for (int i = 0; i < lines.length; i++) {
        add(out, lines[i]);
        if (i + 1 < lines.length && lines[i].length() + lines[i + 1].length() < 400) {
          add(out, lines[i] + " " + lines[i + 1]);
          if (i + 2 < lines.length
              && lines[i].length() + lines[i + 1].length() + lines[i + 2].length() < 400) {
            add(out, lines[i] + " " + lines[i + 1] + " " + lines[i + 2]);
          }
        }
      }
    }
    return out;
  }

  private static void add(List<String> out, String window) {
    String w = window.strip();
    if (!substantial(w)) {
      return;
    }
    // long lines in overlapping pieces, so one sentence is not diluted by a page of text
    for (int start = 0; start < w.length(); start += 300) {
      out.add(w.substring(start, Math.min(w.length(), start + 400)));
      if (start + 400 >= w.length()) {
        break;
      }
    }
  }

  /**
   * Whether a window says enough to be read on its own: three words, or (in a script written
   * without spaces) six characters. A single label ({@code applicant}, {@code routing number})
   * carries too few n-grams for a score to mean anything; the windows of two and three lines still
   * read it in context.
   */
  static boolean substantial(String w) {
    if (w.length() < 8) {
      return false;
    }
    if (w.split("\\s+").length >= 3) {
      return true;
    }
    long unspaced =
        w.codePoints()
            .filter(
                c -> {
                  Character.UnicodeScript s = Character.UnicodeScript.of(c);
                  return s == Character.UnicodeScript.HAN
                      || s == Character.UnicodeScript.HIRAGANA
                      || s == Character.UnicodeScript.KATAKANA
                      || s == Character.UnicodeScript.THAI
                      || s == Character.UnicodeScript.KHMER
                      || s == Character.UnicodeScript.LAO
                      || s == Character.UnicodeScript.MYANMAR;
                })
            .count();
    return unspaced >= 6;
  }

  /** Every reading of the document, each normalised. */
  static List<String> readings(String raw) {
    List<String> out = new ArrayList<>();
    String tagged = tagText(raw);
    String base = normalise(raw);
    out.add(base);
    if (!tagged.isEmpty()) {
      out.add(normalise(tagged));
    }
    String joined = joinSpaced(base);
    if (!joined.equals(base)) {
      out.add(joined);
    }
    out.add(reverseLines(base));
    out.add(InjectionCorpus.rot13(base));
    String leet = unLeet(base);
    if (!leet.equals(base)) {
      out.add(leet);
    }
    for (String run : InjectionScreen.base64Runs(raw, 8)) {
      decodeBase64(run).ifPresent(d -> out.add(normalise(d)));
    }
    return out;
  }

  /**
   * The rules' normalisation (NFKC, invisible characters out, look-alikes folded, lower case,
   * spaces collapsed), soft hyphens out too.
   */
  public static String normalise(String text) {
    return InjectionScreen.normalise(
        text.indexOf('\u00AD') < 0 ? text : text.replace("\u00AD", ""));
  }

  /** The ASCII that Unicode tag characters carry (invisible "ASCII smuggling"). */
  static String tagText(String raw) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < raw.length(); ) {
      int cp = raw.codePointAt(i);
      i += Character.charCount(cp);
      if (cp >= 0xE0020 && cp <= 0xE007E) {
        b.append((char) (cp - 0xE0000));
      }
    }
    return b.toString();
  }

  private static final java.util.regex.Pattern SPACED =
      java.util.regex.Pattern.compile(
          "(?<![\\p{L}\\p{N}])(?:[\\p{L}\\p{N}][ .\\-_*/]){3,}[\\p{L}\\p{N}](?![\\p{L}\\p{N}])");

  /**
   * "i g n o r e" and "i.g.n.o.r.e" read as "ignore": runs of four or more single letters with one
   * separator between them, joined.
   */
  static String joinSpaced(String s) {
    java.util.regex.Matcher m = SPACED.matcher(s);
    if (!m.find()) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    int last = 0;
    do {
      b.append(s, last, m.start());
      for (int k = m.start(); k < m.end(); k++) {
        char c = s.charAt(k);
        if (Character.isLetterOrDigit(c)) {
          b.append(c);
        }
      }
      last = m.end();
    } while (m.find());
    return b.append(s, last, s.length()).toString();
  }

  static String reverseLines(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (String line : s.split("\n", -1)) {
      if (!out.isEmpty()) {
        out.append('\n');
      }
      out.append(new StringBuilder(line).reverse());
    }
    return out.toString();
  }

  private static final String LEET = "013457@$";
  private static final String LEET_AS = "oieastas";

  /** Digits and symbols inside words read as the letters they imitate ("1gn0r3" as "ignore"). */
  static String unLeet(String s) {
    StringBuilder b = new StringBuilder(s);
    for (int i = 0; i < b.length(); i++) {
      int k = LEET.indexOf(b.charAt(i));
      if (k < 0) {
        continue;
      }
      boolean before = i > 0 && Character.isLetter(b.charAt(i - 1));
      boolean after = i + 1 < b.length() && Character.isLetter(b.charAt(i + 1));
      if (before || after) {
        b.setCharAt(i, LEET_AS.charAt(k));
      }
    }
    return b.toString();
  }

  /**
   * A base64 run decoded when it decodes to text in any script: unlike the rules' decoder, which
   * wants ASCII, an encoded injection in Chinese or Arabic must be read too.
   */
  private static java.util.Optional<String> decodeBase64(String run) {
    for (java.util.Base64.Decoder d :
        List.of(java.util.Base64.getDecoder(), java.util.Base64.getUrlDecoder())) {
      try {
        String padded = run + "=".repeat((4 - run.length() % 4) % 4);
        String s =
            new String(
                d.decode(run.endsWith("=") ? run : padded),
                java.nio.charset.StandardCharsets.UTF_8);
        long printable = s.chars().filter(c -> c >= 0x20 || c == '\n').count();
        if (s.length() >= 12 && printable >= s.length() * 0.9) {
          return java.util.Optional.of(s);
        }
      } catch (IllegalArgumentException e) {
        // not this alphabet
      }
    }
    return java.util.Optional.empty();
  }
}
