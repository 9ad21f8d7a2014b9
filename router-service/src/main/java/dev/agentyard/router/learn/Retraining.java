package dev.agentyard.router.learn;

import dev.agentyard.avro.ClassifierEvaluation;
import dev.agentyard.avro.LabelSource;
import dev.agentyard.avro.RouteLabel;
import dev.agentyard.router.classify.Classification;
import dev.agentyard.router.classify.ClassifierTrainer;
import dev.agentyard.router.classify.DocumentClassifier;
import dev.agentyard.router.content.PdfText;
import dev.agentyard.router.corpus.Corpus;
import dev.agentyard.router.corpus.LabelledDocument;
import dev.agentyard.router.routing.RouteTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One retraining round, without I/O: labelled examples (triage verdicts, reviewers' route
 * decisions) become training documents beside the corpus, a candidate is trained, and the gate
 * compares it with the model in force on the golden set, at the routes' own confidence thresholds,
 * the way the router decides.
 */
public final class Retraining {

  /** The gate's verdict on a candidate. */
  public record Gate(boolean promote, String reason) {}

  private Retraining() {}

  /**
   * The labels to learn from, one per task: a reviewer's decision over the triage model's, else the
   * latest; labels whose route teaches no class are dropped.
   */
  public static List<RouteLabel> latestPerTask(Collection<RouteLabel> labels, RouteTable routes) {
    Map<String, RouteLabel> byTask = new LinkedHashMap<>();
    for (RouteLabel l : labels) {
      if (RouteLabels.classOf(l.getRoute(), routes).isEmpty()) {
        continue;
      }
      RouteLabel before = byTask.get(l.getTaskId());
      if (before == null
          || before.getSource() != LabelSource.REVIEWER
          || l.getSource() == LabelSource.REVIEWER) {
        byTask.put(l.getTaskId(), l);
      }
    }
    return List.copyOf(byTask.values());
  }

  /** Labelled examples as training documents of the class their route teaches. */
  public static List<LabelledDocument> asTraining(List<RouteLabel> labels, RouteTable routes) {
    List<LabelledDocument> out = new ArrayList<>();
    for (RouteLabel l : labels) {
      Optional<String> cls = RouteLabels.classOf(l.getRoute(), routes);
      if (cls.isEmpty()) {
        continue;
      }
      out.add(
          new LabelledDocument(
              "label-" + l.getTaskId(),
              cls.get(),
              "label-" + l.getSource().name().toLowerCase(Locale.ROOT),
              LabelledDocument.TRAIN,
              "text/plain",
              l.getText().getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  /** A candidate trained on the corpus's training split and the labelled examples. */
  public static DocumentClassifier train(
      List<LabelledDocument> corpus, List<LabelledDocument> labelled, PdfText pdf) {
    List<LabelledDocument> all = new ArrayList<>(corpus);
    all.addAll(labelled);
    return ClassifierTrainer.train(all, pdf);
  }

  /**
   * A classifier on a golden set, deciding as the router does: a document is decided locally when
   * its best class belongs to a route and clears that route's threshold; it is right when that
   * class is the document's label.
   */
  public static ClassifierEvaluation evaluate(
      DocumentClassifier c, List<LabelledDocument> golden, RouteTable routes, PdfText pdf) {
    int decided = 0;
    int correct = 0;
    for (LabelledDocument d : golden) {
      Classification k = c.classify(ClassifierTrainer.text(d, pdf));
      if (routes.decidedBy(k.label(), k.confidence()).isPresent()) {
        decided++;
        if (k.label().equals(d.label())) {
          correct++;
        }
      }
    }
    return ClassifierEvaluation.newBuilder()
        .setGoldenSet(Corpus.fingerprint(golden))
        .setDocuments(golden.size())
        .setDecided(decided)
        .setCorrect(correct)
        .setPrecision(decided == 0 ? 1.0 : correct / (double) decided)
        .setLocalShare(golden.isEmpty() ? 0.0 : decided / (double) golden.size())
        .build();
  }

  /**
   * Promote only a candidate at least as precise as the model in force on the same golden set, and
   * one that does not buy that precision by deciding less: its local share may fall by at most
   * {@code maxShareDrop}.
   */
  public static Gate gate(
      ClassifierEvaluation candidate, ClassifierEvaluation current, double maxShareDrop) {
    if (!candidate.getGoldenSet().equals(current.getGoldenSet())) {
      throw new IllegalArgumentException("the two models were measured on different golden sets");
    }
    String figures =
        String.format(
            Locale.ROOT, "candidate %s, in force %s", describe(candidate), describe(current));
    if (candidate.getPrecision() < current.getPrecision()) {
      return new Gate(false, "less precise than the model in force: " + figures);
    }
    if (candidate.getLocalShare() < current.getLocalShare() - maxShareDrop) {
      return new Gate(
          false,
          String.format(
              Locale.ROOT,
              "decides less locally than the model in force (more than %.1f points less): %s",
              maxShareDrop * 100,
              figures));
    }
    return new Gate(true, "at least as precise as the model in force: " + figures);
  }

  /** {@code precision 99.3% (148/149), 92.1% decided locally, golden set of 162}. */
  public static String describe(ClassifierEvaluation e) {
    return String.format(
        Locale.ROOT,
        "precision %.1f%% (%d/%d), %.1f%% decided locally, golden set of %d",
        e.getPrecision() * 100,
        e.getCorrect(),
        e.getDecided(),
        e.getLocalShare() * 100,
        e.getDocuments());
  }
}
