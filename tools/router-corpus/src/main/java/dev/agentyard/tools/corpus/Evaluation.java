package dev.agentyard.tools.corpus;

import dev.agentyard.router.classify.Classification;
import dev.agentyard.router.classify.ClassifierTrainer;
import dev.agentyard.router.classify.DocumentClassifier;
import dev.agentyard.router.content.PdfText;
import dev.agentyard.router.corpus.LabelledDocument;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How well the classifier does on the corpus's test split: accuracy, per-class precision and
 * recall, the confusion matrix, classification latency, and how many documents fall below the
 * confidence threshold (and would go to triage).
 */
public record Evaluation(
    List<String> labels,
    int[][] confusion,
    double threshold,
    int belowThreshold,
    int belowThresholdCorrect,
    long[] nanosSorted,
    List<String> errors) {

  public static Evaluation of(
      DocumentClassifier classifier, List<LabelledDocument> corpus, PdfText pdf, double threshold) {
    List<LabelledDocument> test =
        corpus.stream().filter(d -> d.split().equals(LabelledDocument.TEST)).toList();
    List<String> labels = new ArrayList<>(new TreeSet<>(classifier.labels()));
    int[][] confusion = new int[labels.size()][labels.size()];
    List<String> texts = test.stream().map(d -> ClassifierTrainer.text(d, pdf)).toList();
    // warm up the JIT so the latency is that of a running service, not of the first calls
    for (int r = 0; r < 5; r++) {
      texts.forEach(classifier::classify);
    }
    long[] nanos = new long[test.size()];
    int below = 0;
    int belowCorrect = 0;
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < test.size(); i++) {
      LabelledDocument d = test.get(i);
      Classification c = classifier.classify(texts.get(i));
      nanos[i] = c.nanos();
      int actual = labels.indexOf(d.label());
      int predicted = labels.indexOf(c.label());
      confusion[actual][predicted]++;
      if (c.confidence() < threshold) {
        below++;
        belowCorrect += actual == predicted ? 1 : 0;
      }
      if (actual != predicted) {
        errors.add(
            String.format(
                Locale.ROOT,
                "%s (%s, %s) -> %s @ %.2f",
                d.id(),
                d.template(),
                d.mediaType(),
                c.label(),
                c.confidence()));
      }
    }
    Arrays.sort(nanos);
    return new Evaluation(
        List.copyOf(labels), confusion, threshold, below, belowCorrect, nanos, List.copyOf(errors));
  }

  public int total() {
    return Arrays.stream(confusion).flatMapToInt(Arrays::stream).sum();
  }

  public int correct() {
    int c = 0;
    for (int i = 0; i < confusion.length; i++) {
      c += confusion[i][i];
    }
    return c;
  }

  public double accuracy() {
    return total() == 0 ? 0 : (double) correct() / total();
  }

  public double precision(String label) {
    int i = labels.indexOf(label);
    int predicted = 0;
    for (int[] row : confusion) {
      predicted += row[i];
    }
    return predicted == 0 ? 0 : (double) confusion[i][i] / predicted;
  }

  public double recall(String label) {
    int i = labels.indexOf(label);
    int actual = Arrays.stream(confusion[i]).sum();
    return actual == 0 ? 0 : (double) confusion[i][i] / actual;
  }

  /** Latency percentile in microseconds. */
  public double micros(double percentile) {
    if (nanosSorted.length == 0) {
      return 0;
    }
    int idx =
        (int)
            Math.min(
                nanosSorted.length - 1, Math.ceil(percentile / 100.0 * nanosSorted.length) - 1);
    return nanosSorted[Math.max(0, idx)] / 1_000.0;
  }

  /**
   * The report the eval command prints; {@code routeOf} maps a class to the route it sends work to.
   */
  public String format(Map<String, String> routeOf) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "test documents: %d   correct: %d   accuracy: %.2f %%%n",
            total(),
            correct(),
            accuracy() * 100));
    b.append(
        String.format(
            Locale.ROOT,
            "%n%-10s %-8s %9s %9s %9s %8s%n",
            "class",
            "route",
            "precision",
            "recall",
            "f1",
            "support"));
    for (String l : labels) {
      double p = precision(l);
      double r = recall(l);
      b.append(
          String.format(
              Locale.ROOT,
              "%-10s %-8s %9.3f %9.3f %9.3f %8d%n",
              l,
              routeOf.getOrDefault(l, l),
              p,
              r,
              p + r == 0 ? 0 : 2 * p * r / (p + r),
              Arrays.stream(confusion[labels.indexOf(l)]).sum()));
    }
    b.append(
        String.format(
            Locale.ROOT, "%nconfusion matrix (rows: actual, columns: predicted)%n%-10s", ""));
    labels.forEach(l -> b.append(String.format(Locale.ROOT, "%9s", l)));
    b.append('\n');
    for (int i = 0; i < labels.size(); i++) {
      b.append(String.format(Locale.ROOT, "%-10s", labels.get(i)));
      for (int j = 0; j < labels.size(); j++) {
        b.append(String.format(Locale.ROOT, "%9d", confusion[i][j]));
      }
      b.append('\n');
    }
    b.append(
        String.format(
            Locale.ROOT,
            "%nbelow the confidence threshold %.2f (sent to triage): %d of %d (%d of them were right)%n",
            threshold,
            belowThreshold,
            total(),
            belowThresholdCorrect));
    b.append(
        String.format(
            Locale.ROOT,
            "classification latency per document: p50 %.1f us, p99 %.1f us, max %.1f us%n",
            micros(50),
            micros(99),
            micros(100)));
    if (!errors.isEmpty()) {
      b.append("\nmisclassified:\n");
      errors.forEach(e -> b.append("  ").append(e).append('\n'));
    }
    return b.toString();
  }

  /**
   * Generalisation to layouts never seen in training: for each template, trains on every other
   * template's training documents and classifies this template's test documents. Returns lines
   * "template: correct/total" and a final accuracy line.
   */
  public static String unseenTemplates(
      List<LabelledDocument> corpus, PdfText pdf, double threshold) {
    Map<String, List<LabelledDocument>> byTemplate = new TreeMap<>();
    corpus.forEach(
        d ->
            byTemplate
                .computeIfAbsent(d.label() + "/" + d.template(), k -> new ArrayList<>())
                .add(d));
    StringBuilder b =
        new StringBuilder(
            "accuracy on layouts the classifier never saw (leave one template out):\n");
    int correct = 0;
    int total = 0;
    int misrouted = 0;
    int toTriage = 0;
    for (var e : byTemplate.entrySet()) {
      List<LabelledDocument> rest = corpus.stream().filter(d -> !e.getValue().contains(d)).toList();
      DocumentClassifier c = ClassifierTrainer.train(rest, pdf);
      int ok = 0;
      int n = 0;
      Map<String, Integer> wrong = new TreeMap<>();
      for (LabelledDocument d : e.getValue()) {
        if (!d.split().equals(LabelledDocument.TEST)) {
          continue;
        }
        Classification cl = c.classify(ClassifierTrainer.text(d, pdf));
        String got = cl.label();
        n++;
        if (cl.confidence() < threshold) {
          toTriage++;
        } else if (!got.equals(d.label())) {
          misrouted++;
        }
        if (got.equals(d.label())) {
          ok++;
        } else {
          wrong.merge(got, 1, Integer::sum);
        }
      }
      correct += ok;
      total += n;
      b.append(
          String.format(
              Locale.ROOT,
              "  %-34s %3d/%-3d %s%n",
              e.getKey(),
              ok,
              n,
              wrong.isEmpty() ? "" : "wrong: " + wrong));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "unseen-layout accuracy: %d/%d = %.2f %%%n",
            correct,
            total,
            total == 0 ? 0 : 100.0 * correct / total));
    b.append(
        String.format(
            Locale.ROOT,
            "with the %.2f threshold: %d sent to triage, %d routed with confidence to a wrong route "
                + "(%.2f %% misrouted)%n",
            threshold,
            toTriage,
            misrouted,
            total == 0 ? 0 : 100.0 * misrouted / total));
    return b.toString();
  }
}
