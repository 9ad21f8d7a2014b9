package dev.agentyard.evals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The result of an eval run: per group (route; expected route for routing cases; adversarial) and
 * overall, the pass rates (per run, pass@N, pass^N), consistency across runs, routing accuracy with
 * its confusion matrix, the injection screen's recall and false-positive rate, mean tokens and cost
 * per task and latency percentiles; and every case's own score, so two scorecards can be compared
 * case by case ({@link Drift}).
 *
 * @param label what was evaluated (a model, a release)
 * @param createdAt when (ISO-8601, UTC)
 * @param target what answered: the simulator profile or the worker configuration
 * @param runs runs per case (N)
 * @param models the model chain of every route
 * @param datasets a fingerprint of the cases (same fingerprint: same cases and checks)
 * @param overall every case
 * @param groups per route (behaviour), expected route (routing) and {@code adversarial}
 * @param routing routing accuracy and the confusion matrix over every run with an expected route
 * @param injection the injection screen over every run whose document is or is not an injection
 * @param cases every case
 */
public record Scorecard(
    String label,
    String createdAt,
    String target,
    int runs,
    Map<String, List<String>> models,
    String datasets,
    Summary overall,
    Map<String, Summary> groups,
    Routing routing,
    Injection injection,
    List<CaseScore> cases) {

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Pass rates and costs of a set of cases.
   *
   * @param passRate passing runs / runs
   * @param passAtN cases passing in at least one of their N runs / cases
   * @param passHatN cases passing in all N runs / cases
   * @param consistency cases whose N runs all ended the same way (outcome, verdict, tools asked
   *     for) / cases
   * @param routingAccuracy runs that reached the expected route / runs with one (null: none)
   * @param behaviourPassRate passing behaviour runs / behaviour runs (null: none)
   * @param errors runs that failed for another reason than the model's behaviour (harness,
   *     provider)
   */
  public record Summary(
      int cases,
      int runs,
      double passRate,
      double passAtN,
      double passHatN,
      double consistency,
      Double routingAccuracy,
      Double behaviourPassRate,
      double meanTokens,
      double meanCostMicroUsd,
      double p50LatencyMs,
      double p99LatencyMs,
      int errors) {}

  /**
   * Routing over every run with an expected route.
   *
   * @param labels rows (expected) and columns (reached) of the matrix
   * @param confusion counts, [expected][reached]
   * @param routedBy how the decisions were made: classifier, triage, or not routed (review,
   *     rejection)
   * @param accuracyBy accuracy of the runs decided each way (against the simulator, the triage
   *     verdicts are scripted: the classifier's share is the product's own)
   */
  public record Routing(
      int runs,
      int correct,
      double accuracy,
      List<String> labels,
      List<List<Integer>> confusion,
      Map<String, Integer> routedBy,
      Map<String, Double> accuracyBy) {}

  /**
   * The injection screen.
   *
   * @param positiveRuns runs of documents that are injections
   * @param negativeRuns runs of genuine documents (every routing case, and cases that say
   *     injection: false)
   * @param missed injection cases the screen let through in some run
   * @param falseAlarms genuine cases it flagged in some run
   */
  public record Injection(
      int positiveRuns,
      int detected,
      double recall,
      int negativeRuns,
      int falsePositives,
      double falsePositiveRate,
      List<String> missed,
      List<String> falseAlarms) {}

  /**
   * One case over its N runs.
   *
   * @param outcomes how each run ended (route, or agent outcome), run 1 first
   * @param failedChecks each failing check with the number of runs it failed in
   * @param seen what the first failing run showed for each failing check
   */
  public record CaseScore(
      String id,
      String kind,
      String group,
      String behaviour,
      int runs,
      int passes,
      boolean passAtN,
      boolean passHatN,
      boolean consistent,
      List<String> outcomes,
      Map<String, Integer> failedChecks,
      Map<String, String> seen,
      double meanTokens,
      double meanCostMicroUsd,
      long p50LatencyMs) {}

  /** Scores the observations of a run (every case's runs, in any order). */
  public static Scorecard of(
      String label,
      String target,
      int runs,
      Map<String, List<String>> models,
      List<EvalCase> cases,
      List<Observation> observations,
      Scorer scorer) {
    Map<String, List<Observation>> byCase =
        observations.stream().collect(Collectors.groupingBy(Observation::caseId));
    List<CaseScore> scores = new ArrayList<>();
    List<Scored> all = new ArrayList<>();
    for (EvalCase c : cases) {
      List<Observation> obs =
          byCase.getOrDefault(c.id(), List.of()).stream()
              .sorted(Comparator.comparingInt(Observation::run))
              .toList();
      List<Scored> scored = obs.stream().map(o -> new Scored(c, o, scorer.score(c, o))).toList();
      all.addAll(scored);
      scores.add(caseScore(c, scored));
    }
    Map<String, Summary> groups = new TreeMap<>();
    for (String g :
        cases.stream().map(EvalCase::group).collect(Collectors.toCollection(TreeSet::new))) {
      groups.put(g, summary(all, s -> s.c().group().equals(g), scores, s -> s.group().equals(g)));
    }
    return new Scorecard(
        label,
        Instant.now().toString(),
        target,
        runs,
        models,
        fingerprint(cases),
        summary(all, s -> true, scores, s -> true),
        groups,
        routing(all),
        injection(all),
        scores);
  }

  /** One scored run. */
  private record Scored(EvalCase c, Observation o, List<Scorer.Check> checks) {
    boolean passed() {
      return checks.stream().allMatch(Scorer.Check::passed);
    }

    String ending() {
      return o.error() != null
          ? "error"
          : c.kind() == EvalCase.Kind.BEHAVIOUR ? o.outcome() : o.routing();
    }

    /** What must be equal across runs for a case to count as consistent. */
    String signature() {
      return ending() + "|" + passed() + "|" + o.flagged() + "|" + o.toolsRequested();
    }
  }

  private static CaseScore caseScore(EvalCase c, List<Scored> runs) {
    int passes = (int) runs.stream().filter(Scored::passed).count();
    Map<String, Integer> failed = new LinkedHashMap<>();
    Map<String, String> seen = new LinkedHashMap<>();
    for (Scored s : runs) {
      for (Scorer.Check k : s.checks()) {
        if (!k.passed()) {
          failed.merge(k.name(), 1, Integer::sum);
          seen.putIfAbsent(k.name(), k.seen());
        }
      }
    }
    long[] lat = runs.stream().mapToLong(s -> s.o().latencyMs()).sorted().toArray();
    return new CaseScore(
        c.id(),
        c.kind().name().toLowerCase(Locale.ROOT),
        c.group(),
        c.behaviour(),
        runs.size(),
        passes,
        passes > 0,
        !runs.isEmpty() && passes == runs.size(),
        runs.stream().map(Scored::signature).distinct().count() <= 1,
        runs.stream().map(Scored::ending).toList(),
        failed,
        seen,
        runs.stream().mapToLong(s -> s.o().tokens()).average().orElse(0),
        runs.stream().mapToLong(s -> s.o().costMicroUsd()).average().orElse(0),
        (long) percentile(lat, 50));
  }

  private static Summary summary(
      List<Scored> all,
      Predicate<Scored> inRuns,
      List<CaseScore> scores,
      Predicate<CaseScore> inCases) {
    List<Scored> runs = all.stream().filter(inRuns).toList();
    List<CaseScore> cs = scores.stream().filter(inCases).toList();
    List<Scored> routed = runs.stream().filter(s -> s.c().expect().route() != null).toList();
    List<Scored> behaviour =
        runs.stream().filter(s -> s.c().kind() == EvalCase.Kind.BEHAVIOUR).toList();
    long[] lat = runs.stream().mapToLong(s -> s.o().latencyMs()).sorted().toArray();
    return new Summary(
        cs.size(),
        runs.size(),
        rate(runs.stream().filter(Scored::passed).count(), runs.size()),
        rate(cs.stream().filter(CaseScore::passAtN).count(), cs.size()),
        rate(cs.stream().filter(CaseScore::passHatN).count(), cs.size()),
        rate(cs.stream().filter(CaseScore::consistent).count(), cs.size()),
        routed.isEmpty()
            ? null
            : rate(
                routed.stream().filter(s -> s.c().expect().route().equals(s.o().routing())).count(),
                routed.size()),
        behaviour.isEmpty()
            ? null
            : rate(behaviour.stream().filter(Scored::passed).count(), behaviour.size()),
        runs.stream().mapToLong(s -> s.o().tokens()).average().orElse(0),
        runs.stream().mapToLong(s -> s.o().costMicroUsd()).average().orElse(0),
        percentile(lat, 50),
        percentile(lat, 99),
        (int) runs.stream().filter(s -> s.o().error() != null).count());
  }

  private static Routing routing(List<Scored> all) {
    List<Scored> routed = all.stream().filter(s -> s.c().expect().route() != null).toList();
    TreeSet<String> expected =
        routed.stream()
            .map(s -> s.c().expect().route())
            .collect(Collectors.toCollection(TreeSet::new));
    TreeSet<String> labels = new TreeSet<>(expected);
    routed.forEach(s -> labels.add(String.valueOf(s.o().routing())));
    List<String> l = List.copyOf(labels);
    int[][] m = new int[l.size()][l.size()];
    Map<String, Integer> by = new TreeMap<>();
    Map<String, Integer> right = new TreeMap<>();
    int correct = 0;
    for (Scored s : routed) {
      m[l.indexOf(s.c().expect().route())][l.indexOf(String.valueOf(s.o().routing()))]++;
      boolean ok = s.c().expect().route().equals(s.o().routing());
      correct += ok ? 1 : 0;
      String method =
          s.o().routedBy() == null || s.o().routedBy().isEmpty() ? "not routed" : s.o().routedBy();
      by.merge(method, 1, Integer::sum);
      right.merge(method, ok ? 1 : 0, Integer::sum);
    }
    Map<String, Double> accuracyBy = new TreeMap<>();
    by.forEach((k, n) -> accuracyBy.put(k, rate(right.get(k), n)));
    return new Routing(
        routed.size(),
        correct,
        rate(correct, routed.size()),
        l,
        Arrays.stream(m).map(row -> Arrays.stream(row).boxed().toList()).toList(),
        by,
        accuracyBy);
  }

  /** Whether a case's document is an injection (true), genuine (false) or not counted (null). */
  static Boolean injectionTruth(EvalCase c) {
    if (c.expect().injection() != null) {
      return c.expect().injection();
    }
    return c.kind() == EvalCase.Kind.ROUTING ? Boolean.FALSE : null;
  }

  private static Injection injection(List<Scored> all) {
    List<Scored> pos =
        all.stream()
            .filter(s -> Boolean.TRUE.equals(injectionTruth(s.c())) && s.o().error() == null)
            .toList();
    List<Scored> neg =
        all.stream()
            .filter(s -> Boolean.FALSE.equals(injectionTruth(s.c())) && s.o().error() == null)
            .toList();
    long detected = pos.stream().filter(s -> s.o().flagged()).count();
    long fp = neg.stream().filter(s -> s.o().flagged()).count();
    return new Injection(
        pos.size(),
        (int) detected,
        rate(detected, pos.size()),
        neg.size(),
        (int) fp,
        rate(fp, neg.size()),
        pos.stream().filter(s -> !s.o().flagged()).map(s -> s.c().id()).distinct().toList(),
        neg.stream().filter(s -> s.o().flagged()).map(s -> s.c().id()).distinct().toList());
  }

  private static double rate(long n, long of) {
    return of == 0 ? 0 : (double) n / of;
  }

  /** Nearest-rank percentile of sorted values (0 when empty). */
  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
  }

  static String fingerprint(List<EvalCase> cases) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (EvalCase c : cases) {
        EvalCase withoutSource =
            new EvalCase(
                c.id(),
                c.kind(),
                c.route(),
                c.behaviour(),
                c.document(),
                new TreeMap<>(c.metadata()),
                c.expect(),
                c.tags(),
                null);
        md.update(JSON.writeValueAsBytes(withoutSource));
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The case of this id, if the scorecard has one. */
  public Optional<CaseScore> caseScore(String id) {
    return cases.stream().filter(c -> Objects.equals(c.id(), id)).findFirst();
  }

  public void write(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the scorecard to " + file, e);
    }
  }

  public static Scorecard read(Path file) {
    try {
      return JSON.readValue(Files.readString(file, StandardCharsets.UTF_8), Scorecard.class);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read a scorecard from " + file + ": " + e.getMessage(), e);
    }
  }
}
