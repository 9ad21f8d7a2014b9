package dev.agentyard.tools.corpus;

import dev.agentyard.router.corpus.Corpus;
import dev.agentyard.router.corpus.LabelledDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates the labelled corpus the router's classifier is trained and evaluated on: synthetic but
 * realistic loan-application documents (79 kinds over five classes, at least 15 a class, varied
 * names, amounts, dates and layouts, OCR-style noise, some as PDFs), reproducible from a seed.
 */
public final class CorpusGenerator {

  /** The seed of the corpus in the repository. */
  public static final long DEFAULT_SEED = 20261121L;

  /** Documents per class in the corpus in the repository. */
  public static final Map<String, Integer> DEFAULT_COUNTS = defaultCounts();

  /** Share of documents held out for evaluation. */
  public static final double TEST_SHARE = 0.25;

  /** Share of documents rendered as PDF. */
  public static final double PDF_SHARE = 0.15;

  /**
   * Every kind of document: written out by hand ({@link Templates}) and as forms ({@link Forms}).
   */
  static final List<Templates.Template> ALL = all();

  private CorpusGenerator() {}

  private static List<Templates.Template> all() {
    List<Templates.Template> out = new ArrayList<>(Templates.ALL);
    out.addAll(Forms.templates());
    return List.copyOf(out);
  }

  private static Map<String, Integer> defaultCounts() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("income", 221);
    m.put("banking", 208);
    m.put("identity", 195);
    m.put("property", 208);
    m.put("other", 150);
    return m;
  }

  /**
   * The corpus for a seed: per class, templates in turn, each document with its own noise level.
   */
  public static List<LabelledDocument> generate(long seed, Map<String, Integer> counts) {
    Random rnd = new Random(seed);
    Fakes f = new Fakes(rnd);
    List<LabelledDocument> out = new ArrayList<>();
    counts.forEach(
        (label, n) -> {
          List<Templates.Template> templates =
              ALL.stream().filter(t -> t.label().equals(label)).toList();
          if (templates.isEmpty()) {
            throw new IllegalArgumentException("no templates for class " + label);
          }
          for (int i = 0; i < n; i++) {
            Templates.Template t = templates.get(i % templates.size());
            String text = Noise.apply(t.write().apply(f), noiseLevel(rnd), f);
            String id = String.format("%s-%04d", label, i + 1);
            String split =
                rnd.nextDouble() < TEST_SHARE ? LabelledDocument.TEST : LabelledDocument.TRAIN;
            boolean pdf = rnd.nextDouble() < PDF_SHARE;
            out.add(
                pdf
                    ? new LabelledDocument(
                        id, label, t.name(), split, "application/pdf", PdfRenderer.render(id, text))
                    : new LabelledDocument(
                        id,
                        label,
                        t.name(),
                        split,
                        "text/plain",
                        text.getBytes(StandardCharsets.UTF_8)));
          }
        });
    return out;
  }

  /**
   * {@code perTemplate} documents of each of the given kinds, all in the test split (fresh
   * documents for an evaluation), with the corpus's noise and PDF share.
   */
  public static List<LabelledDocument> generate(
      long seed, List<Templates.Template> templates, int perTemplate) {
    Random rnd = new Random(seed);
    Fakes f = new Fakes(rnd);
    List<LabelledDocument> out = new ArrayList<>();
    for (Templates.Template t : templates) {
      for (int i = 0; i < perTemplate; i++) {
        String id = String.format("%s-%s-%03d", t.label(), t.name(), i + 1);
        String text = Noise.apply(t.write().apply(f), noiseLevel(rnd), f);
        out.add(
            rnd.nextDouble() < PDF_SHARE
                ? new LabelledDocument(
                    id,
                    t.label(),
                    t.name(),
                    LabelledDocument.TEST,
                    "application/pdf",
                    PdfRenderer.render(id, text))
                : new LabelledDocument(
                    id,
                    t.label(),
                    t.name(),
                    LabelledDocument.TEST,
                    "text/plain",
                    text.getBytes(StandardCharsets.UTF_8)));
      }
    }
    return out;
  }

  private static double noiseLevel(Random rnd) {
    return switch (rnd.nextInt(4)) {
      case 0 -> 0.0;
      case 1 -> 0.15 + rnd.nextDouble() * 0.2;
      case 2 -> 0.35 + rnd.nextDouble() * 0.3;
      default -> 0.65 + rnd.nextDouble() * 0.35;
    };
  }

  /**
   * Writes {@code index.tsv} and {@code docs/<id>.txt|.pdf} under a directory (replacing what is
   * there).
   */
  public static void write(List<LabelledDocument> docs, Path dir) throws IOException {
    Path docsDir = dir.resolve("docs");
    if (Files.isDirectory(docsDir)) {
      try (var old = Files.list(docsDir)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(docsDir);
    StringBuilder index = new StringBuilder(Corpus.INDEX_HEADER).append('\n');
    for (LabelledDocument d : docs) {
      Files.write(docsDir.resolve(d.fileName()), d.bytes());
      index
          .append(
              String.join(
                  "\t",
                  d.id(),
                  d.label(),
                  d.template(),
                  d.split(),
                  d.mediaType(),
                  "docs/" + d.fileName()))
          .append('\n');
    }
    Files.writeString(dir.resolve(Corpus.INDEX), index.toString());
  }
}
