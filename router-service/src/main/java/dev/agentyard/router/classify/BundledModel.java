package dev.agentyard.router.classify;

import dev.agentyard.router.RouterConfig;
import dev.agentyard.router.corpus.Corpus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The classifier model built with the router: trained from the labelled corpus ({@code
 * router-service/src/corpus}) when the router is built, and shipped in its jar, so the router
 * starts without training (it took 0.4–3.5 s at every start) and every instance of a release
 * classifies with the same model. {@code router.classifier.model-file} or {@code
 * router.classifier.corpus-dir} replace it.
 */
public final class BundledModel {

  /** Where the model and its version sit in the router's jar. */
  static final String MODEL = "dev/agentyard/router/classify/doccat.bin";

  static final String VERSION = "dev/agentyard/router/classify/doccat.version";

  private BundledModel() {}

  /** The model shipped in the router's jar. */
  public static DocumentClassifier load() {
    ClassLoader cl = BundledModel.class.getClassLoader();
    try (InputStream model = cl.getResourceAsStream(MODEL);
        InputStream version = cl.getResourceAsStream(VERSION)) {
      if (model == null || version == null) {
        throw new IllegalStateException(
            "the router's jar has no bundled classifier ("
                + MODEL
                + "): it was built without the build's process-classes phase; set"
                + " router.classifier.model-file or router.classifier.corpus-dir");
      }
      return DocumentClassifier.load(
          model, new String(version.readAllBytes(), StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled classifier", e);
    }
  }

  /**
   * Build step (the router's pom runs it at process-classes): trains on the corpus in {@code
   * args[0]} with the default PDF page limit and writes the model under the classes directory
   * {@code args[1]}.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: BundledModel <corpus dir> <classes dir>");
    }
    long start = System.nanoTime();
    DocumentClassifier c =
        ClassifierTrainer.train(Corpus.load(Path.of(args[0])), RouterConfig.DEFAULT_PDF);
    Path classes = Path.of(args[1]);
    Files.createDirectories(classes.resolve(MODEL).getParent());
    try (OutputStream out = Files.newOutputStream(classes.resolve(MODEL))) {
      c.save(out);
    }
    Files.writeString(classes.resolve(VERSION), c.version() + "\n", StandardCharsets.UTF_8);
    System.out.printf(
        "[router] classifier %s trained from %s in %d ms, bundled at %s%n",
        c.version(), args[0], (System.nanoTime() - start) / 1_000_000, classes.resolve(MODEL));
  }
}
