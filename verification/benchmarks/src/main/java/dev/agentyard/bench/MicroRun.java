package dev.agentyard.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Figure 8: the JMH micro-benchmarks (dev.agentyard.bench.micro), one fork each. */
public final class MicroRun {

  private MicroRun() {}

  static List<Row> run(boolean quick) throws RunnerException {
    Options opts =
        new OptionsBuilder()
            .include("dev\\.agentyard\\.bench\\.micro\\..*")
            .forks(1)
            .warmupIterations(quick ? 1 : 3)
            .warmupTime(TimeValue.seconds(quick ? 1 : 2))
            .measurementIterations(quick ? 2 : 5)
            .measurementTime(TimeValue.seconds(quick ? 1 : 2))
            .jvmArgsAppend("-Xmx1g")
            .shouldFailOnError(true)
            .build();
    Collection<RunResult> results = new Runner(opts).run();
    List<Row> rows = new ArrayList<>();
    Map<String, Double> raw = new HashMap<>();
    for (RunResult r : results) {
      String name = name(r);
      String param = r.getParams().getParam("record");
      if (name.endsWith("RawAvro")) {
        raw.put(name.replace("RawAvro", "") + "/" + param, r.getPrimaryResult().getScore());
      }
    }
    for (RunResult r : results) {
      String name = name(r);
      String param = r.getParams().getParam("record");
      double score = r.getPrimaryResult().getScore();
      String unit = r.getPrimaryResult().getScoreUnit();
      String setup = param == null ? "per call" : param + " record";
      Double baseline =
          name.endsWith("Ours") ? raw.get(name.replace("Ours", "") + "/" + param) : null;
      rows.add(
          baseline == null
              ? Row.plain("8", name, setup, score, unit)
              : Row.ratio("8", name, setup, score, unit, baseline, "Avro raw binary (x slower)"));
    }
    rows.sort(Comparator.comparing(Row::name).thenComparing(Row::setup));
    return rows;
  }

  /** {@code SerdeBenchmark.serializeOurs} from the benchmark's full method name. */
  private static String name(RunResult r) {
    String bench = r.getParams().getBenchmark();
    return bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
  }
}
