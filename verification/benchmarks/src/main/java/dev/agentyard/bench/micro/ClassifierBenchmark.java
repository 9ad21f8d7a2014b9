package dev.agentyard.bench.micro;

import dev.agentyard.router.classify.Classification;
import dev.agentyard.router.classify.ClassifierTrainer;
import dev.agentyard.router.classify.DocumentClassifier;
import dev.agentyard.router.content.PdfText;
import dev.agentyard.router.corpus.Corpus;
import dev.agentyard.router.corpus.LabelledDocument;
import dev.agentyard.router.guard.InjectionScreen;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The router's per-document work, one step at a time, over the held-out split of the bundled corpus
 * (each invocation takes the next document): the classifier the router trains at start, the
 * injection screen, and PDF text extraction for the PDFs among them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClassifierBenchmark {

  private DocumentClassifier classifier;
  private final InjectionScreen screen = new InjectionScreen();
  private final PdfText pdf = new PdfText(50);
  private List<String> texts;
  private List<byte[]> pdfs;
  private int next;
  private int nextPdf;

  @Setup(Level.Trial)
  public void setUp() {
    List<LabelledDocument> corpus = Corpus.bundled();
    classifier = ClassifierTrainer.train(corpus, pdf);
    List<LabelledDocument> test =
        corpus.stream().filter(d -> d.split().equals(LabelledDocument.TEST)).toList();
    texts =
        test.stream()
            .map(
                d ->
                    d.pdf()
                        ? pdf.extract(d.bytes())
                        : new String(d.bytes(), StandardCharsets.UTF_8))
            .toList();
    pdfs = test.stream().filter(LabelledDocument::pdf).map(LabelledDocument::bytes).toList();
  }

  /** Classify one document's text (tokenize, features, maxent). */
  @Benchmark
  public Classification classify() {
    String text = texts.get(next++ % texts.size());
    return classifier.classify(text);
  }

  /** Screen one document's text for prompt-injection patterns. */
  @Benchmark
  public Object injectionScreen() {
    return screen.screen(texts.get(next++ % texts.size()));
  }

  /** Extract the text of one PDF (about 15 % of the corpus). */
  @Benchmark
  public String pdfText() {
    return pdf.extract(pdfs.get(nextPdf++ % pdfs.size()));
  }
}
