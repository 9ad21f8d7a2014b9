package dev.agentyard.tools.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Degrades a clean document the way real uploads are degraded: OCR confusions, dropped and swapped
 * lines, shouting capitals, collapsed spacing, scanner and fax banners, cut-off pages. Each
 * document gets its own noise level, so the corpus holds clean and badly damaged copies.
 */
final class Noise {

  private static final Map<Character, String> OCR =
      Map.ofEntries(
          Map.entry('l', "1"),
          Map.entry('1', "l"),
          Map.entry('O', "0"),
          Map.entry('0', "O"),
          Map.entry('S', "5"),
          Map.entry('5', "S"),
          Map.entry('B', "8"),
          Map.entry('e', "c"),
          Map.entry('m', "rn"),
          Map.entry('i', "l"),
          Map.entry('a', "o"),
          Map.entry('n', "ri"),
          Map.entry('g', "q"),
          Map.entry('t', "f"));
  private static final List<String> BANNERS =
      List.of(
          "Page 1 of 1",
          "Page 1 of 2",
          "Scanned with CamScanner",
          "CONFIDENTIAL",
          "FAX FROM: (555) 013-2231  TO: LOAN DEPT",
          "Printed from online banking",
          "-- continued --",
          "Uploaded via borrower portal",
          "COPY",
          "Original on file");

  private static final List<List<String>> COVER_LISTS =
      List.of(
          List.of("pay stubs", "W-2", "bank statements"),
          List.of("bank statements (2 months)", "driver's license copy"),
          List.of("purchase contract", "appraisal", "title"),
          List.of("passport", "tax returns"),
          List.of("homeowners insurance", "VOD"),
          List.of("letter of explanation", "ID"));

  private Noise() {}

  /** The document after noise; {@code level} in [0, 1] scales every kind of damage. */
  static String apply(List<String> lines, double level, Fakes f) {
    List<String> out = new ArrayList<>(lines);
    // dropped lines (never the whole document)
    out.removeIf(l -> out.size() > 3 && f.chance(0.12 * level));
    // neighbouring lines swapped (multi-column layouts read out of order)
    for (int i = 0; i + 1 < out.size(); i++) {
      if (f.chance(0.1 * level)) {
        String t = out.get(i);
        out.set(i, out.get(i + 1));
        out.set(i + 1, t);
      }
    }
    // cut-off: only the first part of the page was scanned
    if (f.chance(0.25 * level) && out.size() > 6) {
      out.subList(Math.max(4, (int) (out.size() * (0.5 + f.rnd().nextDouble() * 0.4))), out.size())
          .clear();
    }
    // a photo of part of the page: a few lines from anywhere in it
    if (f.chance(0.08) && out.size() > 8) {
      int from = f.between(0, out.size() - 5);
      List<String> part =
          new ArrayList<>(out.subList(from, from + f.between(4, Math.min(6, out.size() - from))));
      out.clear();
      out.addAll(part);
    }
    // a fax cover or portal page that names other document kinds than the one behind it
    if (f.chance(0.15)) {
      out.addAll(
          0,
          List.of(
              "FAX COVER SHEET  To: Underwriting  Re: loan application of " + f.fullName(),
              "Attached: " + String.join(", ", f.pick(COVER_LISTS)),
              "Pages: " + f.between(2, 9)));
    }
    if (f.chance(0.4)) {
      out.add(0, f.pick(BANNERS));
    }
    if (f.chance(0.3)) {
      out.add(f.pick(BANNERS));
    }
    boolean upper = f.chance(0.12);
    double ocr = level * 0.06;
    StringBuilder b = new StringBuilder();
    for (String line : out) {
      String l = upper ? line.toUpperCase(Locale.ROOT) : line;
      if (f.chance(0.3 * level)) {
        l = l.replaceAll(" {2,}", " ");
      }
      for (int i = 0; i < l.length(); i++) {
        char c = l.charAt(i);
        String sub = OCR.get(c);
        if (sub != null && f.chance(ocr)) {
          b.append(sub);
        } else if (Character.isLetter(c) && f.chance(ocr / 6)) {
          // dropped character
        } else {
          b.append(c);
        }
      }
      b.append('\n');
    }
    return b.toString();
  }
}
