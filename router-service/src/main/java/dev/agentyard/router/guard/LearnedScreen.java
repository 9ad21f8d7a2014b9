package dev.agentyard.router.guard;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A logistic-regression screen over hashed character 3–5-grams and word 1–2-grams (ADR 0018): it
 * scores every window of every {@link ScreenText} reading of a document and reports the highest.
 * Trained at build time from {@link InjectionCorpus} and the genuine documents of the routing
 * corpus; the threshold is chosen on genuine documents for at most 1 % false positives.
 */
public final class LearnedScreen {

  /** 2^20 hashed feature weights. */
  static final int DIMENSIONS = 1 << 20;

  private static final int FORMAT = 1;

  private final float[] weights;
  private final float bias;
  private final double threshold;
  private final String version;

  /** The best-scoring window of a document. */
  public record Score(double probability, String window) {}

  LearnedScreen(float[] weights, float bias, double threshold, String version) {
    this.weights = weights;
    this.bias = bias;
    this.threshold = threshold;
    this.version = version;
  }

  public double threshold() {
    return threshold;
  }

  public String version() {
    return version;
  }

  /** The same weights with another threshold. */
  public LearnedScreen withThreshold(double t) {
    return new LearnedScreen(weights, bias, t, version);
  }

  /** The document's highest window probability, and that window. */
  public Score score(String document) {
    double best = 0;
    String where = "";
    for (String w : ScreenText.windows(document)) {
      double p = probability(w);
      if (p > best) {
        best = p;
        where = w;
      }
    }
    return new Score(best, where);
  }

  /** True when the document's score reaches the threshold. */
  public boolean flags(String document) {
    return score(document).probability() >= threshold;
  }

  /**
   * The probability that one normalised window is an injection: the features of {@link #features}
   * summed in the same order with the same arithmetic, so the result is the same to the last bit,
   * but without building them — no padded copy, feature array, regex split or concatenated word
   * strings (this was 40 % of the router's time per document).
   */
  double probability(String window) {
    int n = window.length() + 2; // the window between two spaces, as features() pads it
    int words = countWords(window);
    int count = Math.max(0, n - 2) + Math.max(0, n - 3) + Math.max(0, n - 4) + 2 * words;
    double scale = 1 / Math.sqrt(Math.max(1, count));
    double z = bias;
    for (int len = 3; len <= 5; len++) {
      for (int i = 0; i + len <= n; i++) {
        int h = 0x811C9DC5 ^ len;
        for (int j = i; j < i + len; j++) {
          h = (h ^ padded(window, j)) * 0x01000193;
        }
        z += weights[index(h)] * scale;
      }
    }
    int prevStart = -1; // the previous word, or "^" before the first
    int prevEnd = -1;
    int i = 0;
    int len = window.length();
    while (i < len) {
      int start = nextWordStart(window, i);
      if (start >= len) {
        break;
      }
      int end = wordEnd(window, start);
      // ("w:" + word).hashCode(), ("b:" + prev + " " + word).hashCode(): String's hash, folded
      int unigram = hash(hash(0, "w:", 0, 2), window, start, end);
      int bigram =
          prevStart < 0
              ? hash(0, "b:^", 0, 3)
              : hash(hash(0, "b:", 0, 2), window, prevStart, prevEnd);
      bigram = hash(hash(bigram, " ", 0, 1), window, start, end);
      z += weights[index(unigram * 0x9E3779B1)] * scale;
      z += weights[index(bigram * 0x85EBCA6B)] * scale;
      prevStart = start;
      prevEnd = end;
      i = end;
    }
    return 1 / (1 + Math.exp(-z));
  }

  private static char padded(String w, int j) {
    return j == 0 || j == w.length() + 1 ? ' ' : w.charAt(j - 1);
  }

  private static int hash(int h, String s, int from, int to) {
    for (int k = from; k < to; k++) {
      h = 31 * h + s.charAt(k);
    }
    return h;
  }

  /** The words of {@code w.split("[^\\p{L}\\p{N}]+")}: maximal runs of letters and numbers. */
  private static int countWords(String w) {
    int count = 0;
    int i = 0;
    while (true) {
      int start = nextWordStart(w, i);
      if (start >= w.length()) {
        return count;
      }
      count++;
      i = wordEnd(w, start);
    }
  }

  private static int nextWordStart(String w, int i) {
    while (i < w.length()) {
      int cp = w.codePointAt(i);
      if (isWordChar(cp)) {
        return i;
      }
      i += Character.charCount(cp);
    }
    return w.length();
  }

  private static int wordEnd(String w, int i) {
    while (i < w.length()) {
      int cp = w.codePointAt(i);
      if (!isWordChar(cp)) {
        return i;
      }
      i += Character.charCount(cp);
    }
    return w.length();
  }

  /** {@code \p{L}} or {@code \p{N}}, as java.util.regex reads them (by general category). */
  private static boolean isWordChar(int cp) {
    return switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER,
          Character.LOWERCASE_LETTER,
          Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER,
          Character.OTHER_LETTER,
          Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER,
          Character.OTHER_NUMBER ->
          true;
      default -> false;
    };
  }

  /** The reference: {@link #probability} from the built features (tests hold the two equal). */
  double probabilityFromFeatures(String window) {
    int[] f = features(window);
    double z = bias;
    double scale = 1 / Math.sqrt(Math.max(1, f.length));
    for (int i : f) {
      z += weights[i] * scale;
    }
    return 1 / (1 + Math.exp(-z));
  }

  /** Hashed features of a normalised window (repeats kept: counts). */
  static int[] features(String w) {
    String s = " " + w + " ";
    int n = s.length();
    int[] out = new int[Math.max(0, 3 * n) + 64];
    int k = 0;
    for (int len = 3; len <= 5; len++) {
      for (int i = 0; i + len <= n; i++) {
        int h = 0x811C9DC5 ^ len;
        for (int j = i; j < i + len; j++) {
          h = (h ^ s.charAt(j)) * 0x01000193;
        }
        out[k++] = index(h);
      }
    }
    String[] words = w.split("[^\\p{L}\\p{N}]+");
    String prev = "^";
    for (String word : words) {
      if (word.isEmpty()) {
        continue;
      }
      if (k + 2 >= out.length) {
        out = java.util.Arrays.copyOf(out, out.length * 2);
      }
      out[k++] = index(("w:" + word).hashCode() * 0x9E3779B1);
      out[k++] = index(("b:" + prev + " " + word).hashCode() * 0x85EBCA6B);
      prev = word;
    }
    return java.util.Arrays.copyOf(out, k);
  }

  private static int index(int h) {
    h ^= h >>> 16;
    return h & (DIMENSIONS - 1);
  }

  /** A labelled window for training. */
  public record Example(String window, boolean injection) {}

  /**
   * Trains by stochastic gradient descent with AdaGrad steps and a little L2 (deterministic: seeded
   * shuffle), positives weighted to balance the classes.
   */
  static LearnedScreen train(List<Example> examples, int epochs, long seed, String version) {
    float[] w = new float[DIMENSIONS];
    float[] g2 = new float[DIMENSIONS];
    double b = 0;
    double gb = 0;
    long positives = examples.stream().filter(Example::injection).count();
    double posWeight = (examples.size() - positives) / (double) Math.max(1, positives);
    List<int[]> feats = new ArrayList<>(examples.size());
    for (Example e : examples) {
      feats.add(features(e.window()));
    }
    Integer[] order = new Integer[examples.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    double rate = 0.5;
    double l2 = 1e-6;
    for (int epoch = 0; epoch < epochs; epoch++) {
      java.util.Collections.shuffle(java.util.Arrays.asList(order), random);
      for (int idx : order) {
        int[] f = feats.get(idx);
        double scale = 1 / Math.sqrt(Math.max(1, f.length));
        double z = b;
        for (int i : f) {
          z += w[i] * scale;
        }
        double p = 1 / (1 + Math.exp(-z));
        boolean y = examples.get(idx).injection();
        double g = (p - (y ? 1 : 0)) * (y ? posWeight : 1);
        for (int i : f) {
          double gi = g * scale + l2 * w[i];
          g2[i] += (float) (gi * gi);
          w[i] -= (float) (rate * gi / Math.sqrt(g2[i] + 1e-8));
        }
        gb += g * g;
        b -= rate * g / Math.sqrt(gb + 1e-8);
      }
    }
    return new LearnedScreen(w, (float) b, 0.5, version);
  }

  public void save(OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(new java.io.BufferedOutputStream(out));
    d.writeInt(FORMAT);
    d.writeUTF(version);
    d.writeDouble(threshold);
    d.writeFloat(bias);
    int nonZero = 0;
    for (float x : weights) {
      if (x != 0) {
        nonZero++;
      }
    }
    d.writeInt(nonZero);
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] != 0) {
        d.writeInt(i);
        d.writeFloat(weights[i]);
      }
    }
    d.flush();
  }

  public static LearnedScreen load(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(new java.io.BufferedInputStream(in));
    int format = d.readInt();
    if (format != FORMAT) {
      throw new IOException("unknown learned-screen format " + format);
    }
    String version = d.readUTF();
    double threshold = d.readDouble();
    float bias = d.readFloat();
    int n = d.readInt();
    float[] w = new float[DIMENSIONS];
    for (int k = 0; k < n; k++) {
      int i = d.readInt();
      w[i] = d.readFloat();
    }
    return new LearnedScreen(w, bias, threshold, version);
  }

  /** The bundled screen's resource in the router's jar. */
  static final String RESOURCE = "dev/agentyard/router/guard/learned-screen.bin";

  /** The screen shipped in the router's jar. */
  public static LearnedScreen bundled() {
    try (InputStream in = LearnedScreen.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the router's jar has no learned injection screen ("
                + RESOURCE
                + "): it was built without the build's process-classes phase");
      }
      return load(in);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the learned injection screen", e);
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
