package dev.agentyard.router.classify;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import opennlp.tools.doccat.DoccatModel;
import opennlp.tools.doccat.DocumentCategorizerME;
import opennlp.tools.util.ext.ExtensionLoader;

/**
 * The router's local document classifier: an Apache OpenNLP maximum-entropy document categorizer
 * (bag of words and word bigrams) trained on the labelled corpus. Thread-safe: each thread gets its
 * own categorizer over the shared, immutable model.
 */
public final class DocumentClassifier {

  static {
    // the model names its feature generators by class; OpenNLP loads only allowed packages
    ExtensionLoader.registerAllowedPackage(SubwordFeatureGenerator.class.getPackageName());
  }

  /** Tokens of a document the classifier reads; the start of a document says what it is. */
  public static final int MAX_TOKENS = 1500;

  private final DoccatModel model;
  private final String version;
  private final ThreadLocal<DocumentCategorizerME> categorizer;

  public DocumentClassifier(DoccatModel model, String version) {
    this.model = model;
    this.version = version;
    this.categorizer = ThreadLocal.withInitial(() -> new DocumentCategorizerME(model));
  }

  /** Loads a model written by {@link #save}. */
  public static DocumentClassifier load(InputStream in, String version) throws IOException {
    return new DocumentClassifier(new DoccatModel(in), version);
  }

  public void save(OutputStream out) throws IOException {
    model.serialize(out);
  }

  /** Identifies the model in every routing decision it makes. */
  public String version() {
    return version;
  }

  /** The classes the model knows. */
  public Set<String> labels() {
    DocumentCategorizerME c = categorizer.get();
    Set<String> out = new TreeSet<>();
    for (int i = 0; i < c.getNumberOfCategories(); i++) {
      out.add(c.getCategory(i));
    }
    return out;
  }

  public Classification classify(String text) {
    long start = System.nanoTime();
    DocumentCategorizerME c = categorizer.get();
    double[] p = c.categorize(Tokens.of(text, MAX_TOKENS));
    Map<String, Double> scores = new LinkedHashMap<>();
    int best = 0;
    for (int i = 0; i < p.length; i++) {
      scores.put(c.getCategory(i), p[i]);
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return new Classification(
        c.getCategory(best), p[best], Map.copyOf(scores), System.nanoTime() - start);
  }
}
