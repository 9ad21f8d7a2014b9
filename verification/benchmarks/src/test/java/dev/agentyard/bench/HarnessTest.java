package dev.agentyard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentyard.avro.InlineBytes;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.TaskSubmitted;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's own arithmetic and output; the benchmarks themselves are not tests. */
class HarnessTest {

  @TempDir Path dir;

  @Test
  void percentilesAreNearestRank() {
    double[] v = new double[100];
    for (int i = 0; i < 100; i++) {
      v[i] = 100 - i; // unsorted on purpose: 100 .. 1
    }
    assertThat(Stats.percentile(v, 50)).isEqualTo(50);
    assertThat(Stats.percentile(v, 99)).isEqualTo(99);
    assertThat(Stats.percentile(v, 99.9)).isEqualTo(100);
    assertThat(Stats.percentile(v, 100)).isEqualTo(100);
    assertThat(Stats.percentile(new double[] {7}, 1)).isEqualTo(7);
    assertThat(Stats.percentile(new double[0], 50)).isNaN();
    assertThatThrownBy(() -> Stats.percentile(v, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theRateIsTakenBetweenTenPercentAndAllCommitted() {
    long s = 1_000_000_000L;
    // start-up: nothing for 5 s; then 100 records/s for 10 s (1,000 records)
    long[] nanos = {0, 5 * s, 6 * s, 10 * s, 15 * s};
    long[] committed = {0, 0, 100, 500, 1000};
    GroupProgress.Rate r = GroupProgress.rate(nanos, committed, 1000, 0);
    assertThat(r.perSecond()).isCloseTo(100, within(1e-9));
    assertThat(r.records()).isEqualTo(900);
    assertThat(r.windowSeconds()).isCloseTo(9, within(1e-9));
    assertThat(r.totalSeconds()).isCloseTo(15, within(1e-9));
  }

  @Test
  void aRunCommittedInOneGoFallsBackToTheWholeRun() {
    long s = 1_000_000_000L;
    GroupProgress.Rate r = GroupProgress.rate(new long[] {0, 2 * s}, new long[] {0, 50}, 50, 0);
    assertThat(r.perSecond()).isCloseTo(25, within(1e-9));
    assertThatThrownBy(() -> GroupProgress.rate(new long[] {0}, new long[] {10}, 50, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void targetsAreJudgedOnTheRatioOrTheValue() {
    Row ratio = Row.ratio("2", "router", "4p", 600, "records/s", 1000, "passthrough");
    assertThat(ratio.ratio()).isCloseTo(0.6, within(1e-12));
    assertThat(ratio.ratioAtLeast(0.6).met()).isTrue();
    assertThat(ratio.ratioAtLeast(0.61).met()).isFalse();
    assertThat(Row.plain("5", "p99", "", 25.0, "ms").valueAtMost(25).met()).isTrue();
    assertThat(Row.plain("5", "p99", "", 25.1, "ms").valueAtMost(25).met()).isFalse();
    assertThat(Row.plain("6", "rss", "", 400, "MiB").met()).isNull();
  }

  @Test
  void theTableJsonAndPlotCarryEveryRow() throws Exception {
    List<Row> rows =
        List.of(
            Row.plain("1", "passthrough, tasks", "4 partitions", 30_000, "records/s"),
            Row.ratio(
                    "2", "router", "4 partitions", 1_200, "records/s", 30_000, "passthrough, tasks")
                .ratioAtLeast(0.6),
            Row.ratio(
                    "4",
                    "agent workers",
                    "4 partitions",
                    1_200,
                    "tasks/s",
                    1_280,
                    "Little's law bound")
                .ratioAtLeast(0.9),
            new Row(
                "4",
                "agent workers vs synchronous",
                "4 partitions",
                1_200,
                "tasks/s",
                240.0,
                "synchronous consumer",
                "ratio >= 100",
                true));
    String table = Report.table(rows);
    assertThat(table.lines()).hasSize(5);
    assertThat(table).contains("router").contains("0.040").contains("NO").contains("yes");

    Map<String, double[]> latencies = new LinkedHashMap<>();
    latencies.put("250/s", new double[] {1, 2, 3, 4, 50});
    Path json = Report.json(dir, Map.of("cores", 2), Map.of("quick", true), rows, latencies);
    JsonNode doc = new ObjectMapper().readTree(json.toFile());
    assertThat(doc.get("rows")).hasSize(4);
    assertThat(doc.get("rows").get(1).get("met").asBoolean()).isFalse();
    assertThat(doc.get("overheadPercentilesMs").get("250/s").get("p99").asDouble()).isEqualTo(50);

    Path png = Report.png(dir, rows, latencies);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth())
        .isEqualTo(1500); // throughput chart (900) beside the latency chart (600)
    assertThat(Report.png(dir.resolve("none"), List.of(rows.get(0)), Map.of())).isNull();
    Files.delete(png);
    assertThat(Report.replot(json)).isEqualTo(png);
    assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(1500);
  }

  @Test
  void plotLabelsAreShort() {
    assertThat(
            Report.shortLabel(
                Row.plain(
                    "2",
                    "router (classifier, screen, EOS)",
                    "4 partitions, 1 instance, 822 B",
                    1,
                    "x")))
        .isEqualTo("router 4p/1i");
    assertThat(
            Report.shortLabel(
                Row.plain(
                    "7",
                    "agent workers vs bound at observed call time",
                    "1 partition, 2 instances, calls",
                    1,
                    "x")))
        .isEqualTo("workers (observed call time) 1p/2i");
    assertThat(Report.shortLabel(Row.plain("7", "cost aggregator (dedup)", "no cell", 1, "x")))
        .isEqualTo("cost aggregator");
  }

  @Test
  void cpuTimeIsReadForThisProcess() {
    if (!Files.exists(Path.of("/proc/self/stat"))) {
      return; // not Linux: the harness reports NaN, nothing to read
    }
    long before = CpuUse.ticks(ProcessHandle.current().pid());
    long x = 0;
    long until = System.nanoTime() + 300_000_000L;
    while (System.nanoTime() < until) {
      x += Long.numberOfTrailingZeros(x + System.nanoTime());
    }
    assertThat(x).isPositive();
    assertThat(CpuUse.ticks(ProcessHandle.current().pid())).isGreaterThan(before);
    assertThat(CpuUse.ticks(-1)).isEqualTo(-1);
  }

  @Test
  void theWorkloadIsTheHeldOutCorpusAndDeterministic() {
    List<TaskSubmitted> a = Workload.tasks(200, 3);
    List<TaskSubmitted> b = Workload.tasks(200, 3);
    // the same documents in the same order (submittedAt is the time of the call)
    assertThat(a)
        .extracting(TaskSubmitted::getDocument)
        .isEqualTo(b.stream().map(TaskSubmitted::getDocument).toList());
    assertThat(a).extracting(TaskSubmitted::getTaskId).doesNotHaveDuplicates();
    assertThat(a)
        .anyMatch(
            t -> t.getDocument().getContent() instanceof InlineBytes); // the corpus's PDFs are in
    assertThat(Workload.tasks("x", 200, 3, true))
        .noneMatch(t -> t.getDocument().getContent() instanceof InlineBytes);
    List<ModelUsage> u = Workload.usage(500, 4);
    assertThat(u).extracting(ModelUsage::getAttemptId).doesNotHaveDuplicates();
    assertThat(u)
        .allMatch(x -> x.getCostMicroUsd() > 0 && x.getCompletedAt().isAfter(x.getStartedAt()));
  }
}
