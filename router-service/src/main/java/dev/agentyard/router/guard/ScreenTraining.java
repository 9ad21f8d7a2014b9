package dev.agentyard.router.guard;

import dev.agentyard.router.RouterConfig;
import dev.agentyard.router.classify.ClassifierTrainer;
import dev.agentyard.router.corpus.Corpus;
import dev.agentyard.router.corpus.LabelledDocument;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Trains the learned screen (build step) and measures it on families it never saw (the eval):
 * injections from {@link InjectionCorpus}, genuine documents from the routing corpus (training
 * split for training and calibration, test split for measuring), hard benign look-alikes in both.
 */
public final class ScreenTraining {

  static final long TRAIN_SEED = 20261205L;
  static final long TEST_SEED = 777L;
  static final int PER_FAMILY = 600;

  private final List<String> trainDocs;
  private final List<String> testDocs;

  public ScreenTraining(List<LabelledDocument> corpus) {
    List<String> train = new ArrayList<>();
    List<String> test = new ArrayList<>();
    for (LabelledDocument d : corpus) {
      String text = ClassifierTrainer.text(d, RouterConfig.DEFAULT_PDF);
      (d.split().equals(LabelledDocument.TEST) ? test : train).add(text);
    }
    this.trainDocs = train;
    this.testDocs = test;
  }

  /** The training windows: injections of {@code families}, genuine windows, look-alikes. */
  List<LearnedScreen.Example> examples(Set<InjectionCorpus.Family> families, long seed) {
    InjectionCorpus gen = new InjectionCorpus(seed);
    Random random = new Random(seed);
    List<String> genuineLines = new ArrayList<>();
    for (String doc : trainDocs) {
      for (String line : ScreenText.normalise(doc).split("\n")) {
        if (line.strip().length() >= 8) {
          genuineLines.add(line.strip());
        }
      }
    }
    List<LearnedScreen.Example> out = new ArrayList<>();
    for (InjectionCorpus.Family f : families) {
      if (f == InjectionCorpus.Family.OBFUSCATED) {
        continue; // the readings undo obfuscation; the model learns what the text says
      }
      for (int i = 0; i < PER_FAMILY; i++) {
        String text = ScreenText.normalise(gen.injection(f)).replace('\n', ' ');
        out.add(new LearnedScreen.Example(text, true));
        // with a genuine line beside it, as a window of two lines reads it
        String context = genuineLines.get(random.nextInt(genuineLines.size()));
        out.add(
            new LearnedScreen.Example(
                random.nextBoolean() ? context + " " + text : text + " " + context, true));
      }
    }
    // genuine windows: every line and pair of the training documents (a sample of the other
    // readings, which are noise the model must not take for an attack)
    for (String doc : trainDocs) {
      List<String> windows = ScreenText.windows(doc);
      for (String w : windows) {
        if (random.nextInt(4) == 0) {
          out.add(new LearnedScreen.Example(w, false));
        }
      }
    }
    for (InjectionCorpus.Example e : gen.lookAlikes(4000)) {
      String text = ScreenText.normalise(e.text());
      out.add(new LearnedScreen.Example(text, false));
      String context = genuineLines.get(random.nextInt(genuineLines.size()));
      out.add(new LearnedScreen.Example(context + " " + text, false));
    }
    return out;
  }

  /** A screen trained on {@code families}, its threshold calibrated on training documents. */
  LearnedScreen train(Set<InjectionCorpus.Family> families, String version) {
    LearnedScreen s = LearnedScreen.train(examples(families, TRAIN_SEED), 6, TRAIN_SEED, version);
    // above every genuine training document, with a margin: the false-positive budget (1 %) is
    // for documents of layouts the corpus does not have
    double[] benign = scores(s, benignDocs(trainDocs, TRAIN_SEED + 1));
    double max = Arrays.stream(benign).max().orElse(0);
    return s.withThreshold(Math.max(0.5, Math.min(0.98, max + 0.03)));
  }

  /** Genuine documents, and the same with a look-alike line put in each. */
  List<String> benignDocs(List<String> docs, long seed) {
    InjectionCorpus gen = new InjectionCorpus(seed);
    List<String> out = new ArrayList<>(docs);
    for (String d : docs) {
      out.add(gen.embed(d, gen.lookAlike()));
    }
    return out;
  }

  /** Test documents, each carrying one injection of {@code family}. */
  List<String> attackDocs(InjectionCorpus.Family family, int n, long seed) {
    InjectionCorpus gen = new InjectionCorpus(seed);
    Random random = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(gen.embed(testDocs.get(random.nextInt(testDocs.size())), gen.injection(family)));
    }
    return out;
  }

  static double[] scores(LearnedScreen s, List<String> docs) {
    return docs.parallelStream().mapToDouble(d -> s.score(d).probability()).toArray();
  }

  static double share(double[] scores, double threshold) {
    return Arrays.stream(scores).filter(x -> x >= threshold).count() / (double) scores.length;
  }

  /** Per family: recall on it by a screen trained without it; and false positives; the curve. */
  public record Evaluation(
      Map<InjectionCorpus.Family, Double> heldOutRecall,
      Map<InjectionCorpus.Family, Double> heldOutThreshold,
      Map<InjectionCorpus.Family, List<double[]>> heldOutCurve,
      double falsePositives,
      double allFamiliesRecall,
      double threshold,
      List<double[]> curve) {}

  /** Thresholds of the per-family curves. */
  static final double[] CURVE = {0.3, 0.5, 0.7, 0.8, 0.9, 0.95};

  public Evaluation evaluate(int attacksPerFamily) {
    Map<InjectionCorpus.Family, Double> recall = new EnumMap<>(InjectionCorpus.Family.class);
    Map<InjectionCorpus.Family, Double> thresholds = new EnumMap<>(InjectionCorpus.Family.class);
    Map<InjectionCorpus.Family, List<double[]>> curves =
        new EnumMap<>(InjectionCorpus.Family.class);
    List<String> genuineTest = benignDocs(testDocs, TEST_SEED + 1);
    for (InjectionCorpus.Family f : InjectionCorpus.Family.values()) {
      Set<InjectionCorpus.Family> train = EnumSet.allOf(InjectionCorpus.Family.class);
      train.remove(f);
      if (f == InjectionCorpus.Family.OBFUSCATED) {
        // obfuscated text is another family's, hidden: held out means the readings must undo it
        train = EnumSet.allOf(InjectionCorpus.Family.class);
      }
      LearnedScreen s = train(train, "held-out-" + f);
      double[] attacked = scores(s, attackDocs(f, attacksPerFamily, TEST_SEED));
      double[] genuine = scores(s, genuineTest);
      recall.put(f, share(attacked, s.threshold()));
      thresholds.put(f, s.threshold());
      List<double[]> curve = new ArrayList<>();
      for (double t : CURVE) {
        curve.add(new double[] {t, share(attacked, t), share(genuine, t)});
      }
      curves.put(f, curve);
    }
    LearnedScreen all = train(EnumSet.allOf(InjectionCorpus.Family.class), "all");
    double[] benign = scores(all, genuineTest);
    List<String> attacks = new ArrayList<>();
    for (InjectionCorpus.Family f : InjectionCorpus.Family.values()) {
      attacks.addAll(attackDocs(f, attacksPerFamily, TEST_SEED + 2));
    }
    double[] attack = scores(all, attacks);
    List<double[]> curve = new ArrayList<>();
    for (double t : new double[] {0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, all.threshold()}) {
      curve.add(new double[] {t, share(attack, t), share(benign, t)});
    }
    return new Evaluation(
        recall,
        thresholds,
        curves,
        share(benign, all.threshold()),
        share(attack, all.threshold()),
        all.threshold(),
        curve);
  }

  /**
   * Build step (the router's pom runs it at process-classes): trains on every family and the corpus
   * in {@code args[0]}, writes the screen under the classes directory {@code args[1]}. With {@code
   * eval} as a third argument, prints the held-out evaluation instead.
   */
  public static void main(String[] args) throws IOException {
    long start = System.nanoTime();
    ScreenTraining t = new ScreenTraining(Corpus.load(Path.of(args[0])));
    if (args.length > 2 && args[2].equals("eval")) {
      Evaluation e = t.evaluate(200);
      System.out.println(render(e));
      return;
    }
    LearnedScreen s =
        t.train(
            EnumSet.allOf(InjectionCorpus.Family.class),
            "linear-ngram-" + Corpus.fingerprint(Corpus.load(Path.of(args[0]))).substring(0, 12));
    Path out = Path.of(args[1]).resolve(LearnedScreen.RESOURCE);
    Files.createDirectories(out.getParent());
    try (OutputStream o = Files.newOutputStream(out)) {
      s.save(o);
    }
    System.out.printf(
        Locale.ROOT,
        "[router] learned injection screen %s (threshold %.3f) trained in %d ms, bundled at %s%n",
        s.version(),
        s.threshold(),
        (System.nanoTime() - start) / 1_000_000,
        out);
  }

  static String render(Evaluation e) {
    StringBuilder b =
        new StringBuilder("| held-out family | recall | threshold |\n|---|---|---|\n");
    e.heldOutRecall()
        .forEach(
            (f, r) ->
                b.append(
                    String.format(
                        Locale.ROOT,
                        "| %s | %.1f %% | %.3f |%n",
                        f,
                        r * 100,
                        e.heldOutThreshold().get(f))));
    b.append(
        String.format(
            Locale.ROOT,
            "%nAll families trained (the shipped screen), threshold %.3f: recall %.1f %%, false"
                + " positives on genuine test documents %.2f %%%n%n| threshold | recall | false"
                + " positives |%n|---|---|---|%n",
            e.threshold(),
            e.allFamiliesRecall() * 100,
            e.falsePositives() * 100));
    for (double[] c : e.curve()) {
      b.append(
          String.format(
              Locale.ROOT, "| %.3f | %.1f %% | %.2f %% |%n", c[0], c[1] * 100, c[2] * 100));
    }
    b.append(
        "\nEach held-out family's screen (trained without it) at other thresholds: recall on the"
            + " family / false positives on genuine test documents\n\n| held-out family |");
    for (double t : CURVE) {
      b.append(String.format(Locale.ROOT, " %.2f |", t));
    }
    b.append("\n|---|").append("---|".repeat(CURVE.length)).append('\n');
    e.heldOutCurve()
        .forEach(
            (f, rows) -> {
              b.append("| ").append(f).append(" |");
              for (double[] c : rows) {
                b.append(
                    String.format(Locale.ROOT, " %.0f %% / %.1f %% |", c[1] * 100, c[2] * 100));
              }
              b.append('\n');
            });
    return b.toString();
  }
}
