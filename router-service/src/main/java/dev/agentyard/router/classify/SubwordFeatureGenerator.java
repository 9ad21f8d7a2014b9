package dev.agentyard.router.classify;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import opennlp.tools.doccat.FeatureGenerator;

/**
 * Character 4-grams inside each word (with word boundaries marked), so a word the classifier never
 * saw still counts by its parts: OCR damage ({@code staternent}), plurals and compounds, Spanish
 * forms of English words ({@code certificado}, {@code hipoteca}/{@code hipotecario}).
 */
public final class SubwordFeatureGenerator implements FeatureGenerator {

  static final int N = 4;

  @Override
  public Collection<String> extractFeatures(String[] text, Map<String, Object> extraInformation) {
    List<String> out = new ArrayList<>();
    for (String t : text) {
      if (t.length() < 3 || t.chars().allMatch(c -> c == '0')) {
        continue;
      }
      String w = "<" + t + ">";
      for (int i = 0; i + N <= w.length(); i++) {
        out.add("sw=" + w.substring(i, i + N));
      }
    }
    return out;
  }
}
