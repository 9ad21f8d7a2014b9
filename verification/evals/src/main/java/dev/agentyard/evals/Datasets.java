package dev.agentyard.evals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * Reads datasets: JSON Lines files ({@code *.jsonl}), one case per line; blank lines and lines
 * starting with {@code //} are skipped. Every case is checked on load (one document source, the
 * checks its kind needs, valid regexes, unique ids), and an error names the file and line.
 */
public final class Datasets {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY);
  private static final Set<String> KINDS = Set.of("routing", "behaviour", "adversarial");

  private Datasets() {}

  /** A dataset file that does not hold valid cases. */
  public static final class InvalidDatasetException extends IllegalArgumentException {
    InvalidDatasetException(String message) {
      super(message);
    }
  }

  /**
   * Every case of every {@code *.jsonl} under the given files and directories (directories in name
   * order), with file references resolved beside their dataset.
   */
  public static List<EvalCase> load(List<Path> paths) {
    List<EvalCase> out = new ArrayList<>();
    Map<String, String> ids = new HashMap<>();
    for (Path p : paths) {
      for (Path f : files(p)) {
        for (EvalCase c : loadFile(f)) {
          String earlier = ids.putIfAbsent(c.id(), c.source());
          if (earlier != null) {
            throw new InvalidDatasetException(
                c.source() + ": case id '" + c.id() + "' is already used at " + earlier);
          }
          out.add(c);
        }
      }
    }
    return out;
  }

  private static List<Path> files(Path p) {
    if (Files.isRegularFile(p)) {
      return List.of(p);
    }
    if (!Files.isDirectory(p)) {
      throw new InvalidDatasetException("no dataset file or directory at " + p.toAbsolutePath());
    }
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + p, e);
    }
  }

  static List<EvalCase> loadFile(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the dataset " + file, e);
    }
    List<EvalCase> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("//")) {
        continue;
      }
      String where = file.getFileName() + ":" + (i + 1);
      out.add(parse(line, where, file.toAbsolutePath().getParent()));
    }
    return out;
  }

  /** One line; {@code where} names it in errors, {@code dir} resolves its document file. */
  static EvalCase parse(String line, String where, Path dir) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new InvalidDatasetException(where + ": not a JSON object: " + e.getOriginalMessage());
    }
    if (!(n instanceof ObjectNode o)) {
      throw new InvalidDatasetException(where + ": each line must be one JSON object");
    }
    String kind = o.path("kind").asText("");
    if (!KINDS.contains(kind)) {
      throw new InvalidDatasetException(
          where + ": kind must be one of " + new TreeSet<>(KINDS) + ", not '" + kind + "'");
    }
    o.put("kind", kind.toUpperCase(Locale.ROOT));
    o.put("source", where);
    EvalCase c;
    try {
      c = JSON.treeToValue(o, EvalCase.class);
    } catch (JsonProcessingException e) {
      throw new InvalidDatasetException(where + ": " + e.getOriginalMessage());
    }
    validate(c, where);
    EvalCase.DocumentSpec d = c.document();
    if (d.file() != null && dir != null) {
      d =
          new EvalCase.DocumentSpec(
              d.text(),
              d.base64(),
              dir.resolve(d.file()).toString(),
              d.corpus(),
              d.mediaType(),
              d.repeat());
      c =
          new EvalCase(
              c.id(),
              c.kind(),
              c.route(),
              c.behaviour(),
              d,
              c.metadata(),
              c.expect(),
              c.tags(),
              c.source());
    }
    return c;
  }

  private static void validate(EvalCase c, String where) {
    if (c.id() == null || !c.id().matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new InvalidDatasetException(
          where + ": id is required: letters, digits, '.', '_' and '-'");
    }
    String at = where + " (" + c.id() + "): ";
    EvalCase.DocumentSpec d = c.document();
    if (d == null) {
      throw new InvalidDatasetException(at + "document is required");
    }
    long sources =
        Stream.of(d.text(), d.base64(), d.file(), d.corpus()).filter(s -> s != null).count();
    if (sources != 1) {
      throw new InvalidDatasetException(
          at + "document needs exactly one of text, base64, file, corpus (has " + sources + ")");
    }
    if (d.repeat() != null && (d.repeat() < 1 || d.text() == null)) {
      throw new InvalidDatasetException(at + "document.repeat is a count >= 1 of document.text");
    }
    EvalCase.Expect e = c.expect();
    if (e == null) {
      throw new InvalidDatasetException(at + "expect is required");
    }
    switch (c.kind()) {
      case ROUTING -> {
        if (e.route() == null) {
          throw new InvalidDatasetException(
              at + "a routing case needs expect.route (a route, or 'none')");
        }
      }
      case ADVERSARIAL -> {
        if (e.route() == null && e.injection() == null && e.rejected() == null) {
          throw new InvalidDatasetException(
              at + "an adversarial case needs expect.route, expect.injection or expect.rejected");
        }
      }
      case BEHAVIOUR -> {
        if (c.route() == null || c.behaviour() == null) {
          throw new InvalidDatasetException(
              at + "a behaviour case needs route and behaviour (what it checks, in words)");
        }
        if (e.route() != null || e.injection() != null || e.rejected() != null) {
          throw new InvalidDatasetException(
              at
                  + "a behaviour case runs its route's agent: expect.route, .injection and "
                  + ".rejected belong to routing and adversarial cases");
        }
      }
    }
    for (EvalCase.PropertyCheck p : e.properties()) {
      if (p.path() == null || !(p.path().isEmpty() || p.path().startsWith("/"))) {
        throw new InvalidDatasetException(
            at + "a property check needs a JSON Pointer path (\"/issues\")");
      }
      long predicates =
          Stream.of(
                  p.eq(),
                  p.in(),
                  p.min() != null || p.max() != null ? "range" : null,
                  p.matches(),
                  p.contains(),
                  p.empty(),
                  p.isNull())
              .filter(x -> x != null)
              .count();
      if (predicates != 1) {
        throw new InvalidDatasetException(
            at
                + "property "
                + p.path()
                + " needs exactly one of equals, in, min/max, matches, "
                + "contains, empty, isNull");
      }
      for (String regex : Stream.of(p.matches(), p.contains()).filter(x -> x != null).toList()) {
        try {
          Pattern.compile(regex);
        } catch (PatternSyntaxException ex) {
          throw new InvalidDatasetException(
              at + "property " + p.path() + ": not a valid regex: " + ex.getDescription());
        }
      }
    }
  }
}
