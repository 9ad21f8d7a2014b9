package dev.agentyard.tools.corpus;

import dev.agentyard.avro.ClassifierEvaluation;
import dev.agentyard.avro.LabelSource;
import dev.agentyard.avro.RouteLabel;
import dev.agentyard.router.RouterConfig;
import dev.agentyard.router.classify.Classification;
import dev.agentyard.router.classify.ClassifierTrainer;
import dev.agentyard.router.classify.DocumentClassifier;
import dev.agentyard.router.content.PdfText;
import dev.agentyard.router.corpus.LabelledDocument;
import dev.agentyard.router.learn.Retraining;
import dev.agentyard.router.routing.RouteTable;
import dev.agentyard.router.routing.TriageVerdict;
import dev.agentyard.schemas.labels.LabelText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One retraining round, measured: kinds of document held out of the corpus stand for layouts the
 * classifier never saw; a stream of such documents goes through the classifier as the router would
 * route them, the unsure ones to a triage stand-in whose verdicts become labelled examples (with a
 * chosen error rate), and a candidate trained with them goes through the same code and gate as
 * {@code router-models retrain}. Reports the share decided locally and its precision on fresh
 * documents of the held-out kinds, before and after.
 */
final class LearningRound {

  private LearningRound() {}

  /** {@code 74.5 % decided locally (190/255), precision 100.00 % (190/190)}. */
  static String share(
      DocumentClassifier c, List<LabelledDocument> docs, RouteTable routes, PdfText pdf) {
    ClassifierEvaluation e = Retraining.evaluate(c, docs, routes, pdf);
    return String.format(
        Locale.ROOT,
        "%5.1f %% decided locally (%d/%d), precision %6.2f %% (%d/%d)",
        e.getLocalShare() * 100,
        e.getDecided(),
        e.getDocuments(),
        e.getPrecision() * 100,
        e.getCorrect(),
        e.getDecided());
  }

  /**
   * @param heldOutEvery every n-th form kind is held out of the corpus
   * @param perKind documents of each held-out kind in the measured set and in the traffic
   * @param triageError share of triage verdicts that name a wrong route
   */
  static String run(long seed, int heldOutEvery, int perKind, double triageError) {
    PdfText pdf = RouterConfig.DEFAULT_PDF;
    RouteTable routes = RouterConfig.withDefaults(Map.of()).routes();
    List<Templates.Template> forms = Forms.templates();
    List<Templates.Template> heldOut = new ArrayList<>();
    for (int i = 0; i < forms.size(); i++) {
      if (i % heldOutEvery == 0) {
        heldOut.add(forms.get(i));
      }
    }
    Set<String> heldOutNames =
        heldOut.stream().map(Templates.Template::name).collect(Collectors.toSet());
    List<LabelledDocument> corpus =
        CorpusGenerator.generate(seed, CorpusGenerator.DEFAULT_COUNTS).stream()
            .filter(d -> !heldOutNames.contains(d.template()))
            .toList();
    List<LabelledDocument> measured = CorpusGenerator.generate(seed + 1, heldOut, perKind);
    List<LabelledDocument> traffic = CorpusGenerator.generate(seed + 2, heldOut, perKind);
    List<LabelledDocument> golden =
        corpus.stream().filter(d -> d.split().equals(LabelledDocument.TEST)).toList();

    DocumentClassifier before = ClassifierTrainer.train(corpus, pdf);
    // the traffic as the router routes it: what the classifier decides stays; the rest goes to
    // triage, whose verdict (wrong with probability triageError) becomes a labelled example
    Random rnd = new Random(seed + 3);
    List<String> routeNames =
        List.of("income", "banking", "identity", "property", TriageVerdict.NONE);
    List<RouteLabel> labels = new ArrayList<>();
    int wrongLabels = 0;
    for (LabelledDocument d : traffic) {
      String text = ClassifierTrainer.text(d, pdf);
      Classification k = before.classify(text);
      if (routes.decidedBy(k.label(), k.confidence()).isPresent()) {
        continue;
      }
      String truth = d.label().equals("other") ? TriageVerdict.NONE : d.label();
      String verdict = truth;
      if (rnd.nextDouble() < triageError) {
        List<String> others = routeNames.stream().filter(n -> !n.equals(truth)).toList();
        verdict = others.get(rnd.nextInt(others.size()));
        wrongLabels++;
      }
      labels.add(
          RouteLabel.newBuilder()
              .setTaskId(d.id())
              .setTenant("eval")
              .setRoute(verdict)
              .setSource(LabelSource.TRIAGE)
              .setLabelledBy("triage-stand-in")
              .setConfidence(0.9)
              .setClassifierVersion(before.version())
              .setClassifierConfidence(k.confidence())
              .setText(LabelText.of(text))
              .setLabelledAt(Instant.EPOCH)
              .build());
    }
    List<RouteLabel> latest = Retraining.latestPerTask(labels, routes);
    DocumentClassifier after = Retraining.train(corpus, Retraining.asTraining(latest, routes), pdf);
    ClassifierEvaluation goldenBefore = Retraining.evaluate(before, golden, routes, pdf);
    ClassifierEvaluation goldenAfter = Retraining.evaluate(after, golden, routes, pdf);
    Retraining.Gate gate = Retraining.gate(goldenAfter, goldenBefore, 0.02);

    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "held out of the corpus: %d kinds (%s)%n"
                + "corpus without them: %d documents; measured on %d fresh documents of the held-out"
                + " kinds; traffic: %d more%n"
                + "triage stand-in: the true route, wrong with probability %.2f (%d wrong of %d"
                + " verdicts)%n%n",
            heldOut.size(),
            String.join(", ", heldOutNames.stream().sorted().toList()),
            corpus.size(),
            measured.size(),
            traffic.size(),
            triageError,
            wrongLabels,
            labels.size()));
    String sb = share(before, measured, routes, pdf);
    String sa = share(after, measured, routes, pdf);
    List<LabelledDocument> measuredRouted =
        measured.stream().filter(d -> !d.label().equals("other")).toList();
    b.append(String.format(Locale.ROOT, "held-out kinds, all documents:%n"));
    b.append(String.format(Locale.ROOT, "  before: %s%n", sb));
    b.append(String.format(Locale.ROOT, "  after:  %s%n", sa));
    b.append(
        String.format(
            Locale.ROOT,
            "held-out kinds of the four routes (class other always goes to triage):%n"));
    b.append(
        String.format(Locale.ROOT, "  before: %s%n", share(before, measuredRouted, routes, pdf)));
    b.append(
        String.format(Locale.ROOT, "  after:  %s%n", share(after, measuredRouted, routes, pdf)));
    b.append(
        String.format(
            Locale.ROOT,
            "%nthe model before, on the held-out kinds, at other confidence thresholds:%n"));
    for (double t : new double[] {0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}) {
      RouteTable at =
          RouterConfig.withDefaults(
                  Map.of("router.classifier.confidence-threshold", Double.toString(t)))
              .routes();
      b.append(String.format(Locale.ROOT, "  %.1f: %s%n", t, share(before, measured, at, pdf)));
    }
    b.append(String.format(Locale.ROOT, "%nper held-out kind (before -> after):%n"));
    Map<String, List<LabelledDocument>> byKind = new TreeMap<>();
    measured.forEach(
        d -> byKind.computeIfAbsent(d.label() + "/" + d.template(), x -> new ArrayList<>()).add(d));
    byKind.forEach(
        (kind, docs) -> {
          ClassifierEvaluation x = Retraining.evaluate(before, docs, routes, pdf);
          ClassifierEvaluation y = Retraining.evaluate(after, docs, routes, pdf);
          b.append(
              String.format(
                  Locale.ROOT,
                  "  %-34s %2d/%-2d decided, %2d right -> %2d/%-2d decided, %2d right%n",
                  kind,
                  x.getDecided(),
                  x.getDocuments(),
                  x.getCorrect(),
                  y.getDecided(),
                  y.getDocuments(),
                  y.getCorrect()));
        });
    b.append(
        String.format(
            Locale.ROOT,
            "%ngolden set (the corpus's test split): before %s; after %s%ngate: %s%n",
            Retraining.describe(goldenBefore),
            Retraining.describe(goldenAfter),
            (gate.promote() ? "PROMOTE - " : "REFUSE - ") + gate.reason()));
    return b.toString();
  }
}
