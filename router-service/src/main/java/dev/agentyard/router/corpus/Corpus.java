package dev.agentyard.router.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * The labelled corpus on disk or on the classpath: {@code index.tsv} (id, label, template, split,
 * media type, file) and the documents it names.
 */
public final class Corpus {

  public static final String INDEX = "index.tsv";
  public static final String INDEX_HEADER = "id\tlabel\ttemplate\tsplit\tmediaType\tfile";

  /**
   * Where the corpus lives on the classpath: in the router's {@code corpus} artifact and its tests'
   * classpath (the files are {@code router-service/src/corpus}).
   */
  public static final String BUNDLED = "corpus/";

  private Corpus() {}

  /** The labelled corpus of the router's build, from the classpath. */
  public static List<LabelledDocument> bundled() {
    return read(
        name -> {
          try (InputStream in = Corpus.class.getClassLoader().getResourceAsStream(BUNDLED + name)) {
            if (in == null) {
              throw new IllegalStateException(
                  "no "
                      + BUNDLED
                      + name
                      + " on the classpath (it is in the router-service:corpus artifact)");
            }
            return in.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** A corpus in a directory. */
  public static List<LabelledDocument> load(Path dir) {
    return read(
        name -> {
          try {
            return Files.readAllBytes(dir.resolve(name));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static List<LabelledDocument> read(Function<String, byte[]> files) {
    String[] lines = new String(files.apply(INDEX), StandardCharsets.UTF_8).split("\n");
    if (lines.length == 0 || !lines[0].equals(INDEX_HEADER)) {
      throw new IllegalArgumentException(INDEX + " must start with the header: " + INDEX_HEADER);
    }
    List<LabelledDocument> out = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String[] c = lines[i].split("\t");
      if (c.length != 6) {
        throw new IllegalArgumentException(
            INDEX + " line " + (i + 1) + " has " + c.length + " columns, expected 6");
      }
      out.add(new LabelledDocument(c[0], c[1], c[2], c[3], c[4], files.apply(c[5])));
    }
    return out;
  }

  /** A short fingerprint of the corpus content and labels, part of the classifier's version. */
  public static String fingerprint(List<LabelledDocument> docs) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (LabelledDocument d : docs) {
        md.update(
            (d.id() + '\t' + d.label() + '\t' + d.split() + '\n').getBytes(StandardCharsets.UTF_8));
        md.update(d.bytes());
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
