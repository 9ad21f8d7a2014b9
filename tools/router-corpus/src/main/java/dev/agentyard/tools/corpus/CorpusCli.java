package dev.agentyard.tools.corpus;

import dev.agentyard.router.RouterConfig;
import dev.agentyard.router.classify.ClassifierTrainer;
import dev.agentyard.router.classify.DocumentClassifier;
import dev.agentyard.router.corpus.Corpus;
import dev.agentyard.router.corpus.LabelledDocument;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The router's offline tools: generate the labelled corpus, train the classifier, evaluate it. */
@Command(
    name = "router",
    mixinStandardHelpOptions = true,
    subcommands = {
      CorpusCli.Generate.class,
      CorpusCli.Train.class,
      CorpusCli.Eval.class,
      CorpusCli.LearnEval.class
    },
    description = "Agentyard router tools: corpus, train, eval.")
public final class CorpusCli {

  public static void main(String[] args) {
    System.exit(new CommandLine(new CorpusCli()).execute(args));
  }

  static List<LabelledDocument> corpus(Path dir) {
    return dir == null ? Corpus.bundled() : Corpus.load(dir);
  }

  @Command(
      name = "corpus",
      description = "Generate the synthetic labelled corpus (index.tsv + docs/).")
  static final class Generate implements Callable<Integer> {
    @Option(
        names = "--out",
        required = true,
        description = "Directory to write (its docs/ is replaced).")
    Path out;

    @Option(
        names = "--seed",
        description = "Random seed (default: the seed of the corpus in the repository).")
    long seed = CorpusGenerator.DEFAULT_SEED;

    @Override
    public Integer call() throws Exception {
      List<LabelledDocument> docs = CorpusGenerator.generate(seed, CorpusGenerator.DEFAULT_COUNTS);
      CorpusGenerator.write(docs, out);
      long pdfs = docs.stream().filter(LabelledDocument::pdf).count();
      long test = docs.stream().filter(d -> d.split().equals(LabelledDocument.TEST)).count();
      System.out.printf(
          "wrote %d documents (%d PDFs; %d train, %d test) to %s%n",
          docs.size(), pdfs, docs.size() - test, test, out);
      return 0;
    }
  }

  @Command(
      name = "train",
      description = "Train the classifier on a corpus and write the model file.")
  static final class Train implements Callable<Integer> {
    @Option(
        names = "--corpus",
        description = "Corpus directory (default: the corpus bundled with the router).")
    Path corpus;

    @Option(
        names = "--out",
        required = true,
        description = "Model file to write (router.classifier.model-file).")
    Path out;

    @Override
    public Integer call() throws Exception {
      DocumentClassifier c = ClassifierTrainer.train(corpus(corpus), RouterConfig.DEFAULT_PDF);
      try (OutputStream o = Files.newOutputStream(out)) {
        c.save(o);
      }
      System.out.printf("trained %s; model written to %s%n", c.version(), out);
      return 0;
    }
  }

  @Command(
      name = "eval",
      description =
          "Train on the corpus's train split; print accuracy, per-route precision/recall, "
              + "the confusion matrix and latency on its test split.")
  static final class Eval implements Callable<Integer> {
    @Option(
        names = "--corpus",
        description = "Corpus directory (default: the corpus bundled with the router).")
    Path corpus;

    @Option(
        names = "--threshold",
        description =
            "Confidence below which a document goes to triage (default ${DEFAULT-VALUE}).")
    double threshold =
        Double.parseDouble(RouterConfig.defaults().get("router.classifier.confidence-threshold"));

    @Option(
        names = "--unseen-templates",
        description =
            "Also measure accuracy on layouts never seen in training "
                + "(leave one template out; trains once per template).")
    boolean unseen;

    @Override
    public Integer call() {
      List<LabelledDocument> docs = corpus(corpus);
      long start = System.nanoTime();
      DocumentClassifier c = ClassifierTrainer.train(docs, RouterConfig.DEFAULT_PDF);
      long trainMs = (System.nanoTime() - start) / 1_000_000;
      long train = docs.stream().filter(d -> d.split().equals(LabelledDocument.TRAIN)).count();
      System.out.printf(
          "classifier %s trained on %d documents in %d ms%n%n", c.version(), train, trainMs);
      Evaluation e = Evaluation.of(c, docs, RouterConfig.DEFAULT_PDF, threshold);
      System.out.print(e.format(Map.of("other", "triage")));
      if (unseen) {
        System.out.println();
        System.out.print(Evaluation.unseenTemplates(docs, RouterConfig.DEFAULT_PDF, threshold));
      }
      return 0;
    }
  }

  @Command(
      name = "learn-eval",
      description =
          "Hold kinds of document out of the corpus, route fresh ones through the classifier, feed"
              + " the unsure ones' triage verdicts back as labelled examples, retrain through the"
              + " promotion gate, and print the share decided locally and its precision before and after.")
  static final class LearnEval implements Callable<Integer> {
    @Option(names = "--seed", description = "Corpus seed (default: the repository's).")
    long seed = CorpusGenerator.DEFAULT_SEED;

    @Option(
        names = "--held-out-every",
        description = "Hold out every n-th form kind (default ${DEFAULT-VALUE}).")
    int every = 3;

    @Option(
        names = "--per-kind",
        description =
            "Fresh documents per held-out kind, measured and as traffic (default ${DEFAULT-VALUE}).")
    int perKind = 15;

    @Option(
        names = "--triage-error",
        description = "Share of triage verdicts naming a wrong route (default ${DEFAULT-VALUE}).")
    double triageError = 0.05;

    @Override
    public Integer call() {
      System.out.print(LearningRound.run(seed, every, perKind, triageError));
      return 0;
    }
  }
}
