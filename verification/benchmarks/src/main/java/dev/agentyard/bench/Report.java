package dev.agentyard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The results as a table (stdout), as JSON and as a PNG plot of throughput ratios and overhead
 * latency.
 */
public final class Report {

  private Report() {}

  /** The table, one line a row, grouped by figure. */
  public static String table(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    String fmt = "%-3s %-44s %-62s %12s %-9s %8s %-28s %-16s %s%n";
    sb.append(
        String.format(
            Locale.ROOT,
            fmt,
            "fig",
            "measured",
            "setup",
            "value",
            "unit",
            "ratio",
            "against",
            "target",
            "met"));
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              fmt,
              r.figure(),
              cut(r.name(), 44),
              cut(r.setup(), 62),
              number(r.value()),
              r.unit(),
              r.ratio() == null ? "" : number(r.ratio()),
              r.comparedTo() == null ? "" : cut(r.comparedTo(), 28),
              r.target() == null ? "" : r.target(),
              r.met() == null ? "" : r.met() ? "yes" : "NO"));
    }
    return sb.toString();
  }

  static String number(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  /**
   * Draws results.png again from a results.json (after a change to the plot, without measuring
   * again).
   */
  public static Path replot(Path json) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    var doc = mapper.readTree(json.toFile());
    List<Row> rows = new ArrayList<>();
    for (var r : doc.get("rows")) {
      rows.add(mapper.treeToValue(r, Row.class));
    }
    Map<String, Map<String, Double>> p = new LinkedHashMap<>();
    doc.get("overheadPercentilesMs")
        .properties()
        .forEach(
            e -> {
              Map<String, Double> m = new LinkedHashMap<>();
              e.getValue().properties().forEach(x -> m.put(x.getKey(), x.getValue().asDouble()));
              p.put(e.getKey(), m);
            });
    return plot(json.toAbsolutePath().getParent(), rows, p);
  }

  /** Writes {@code results.json}: the machine, the settings and every row. */
  public static Path json(
      Path dir,
      Map<String, Object> machine,
      Map<String, Object> settings,
      List<Row> rows,
      Map<String, double[]> latencies)
      throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("machine", machine);
    doc.put("settings", settings);
    doc.put("rows", rows);
    Map<String, Object> lat = new LinkedHashMap<>();
    latencies.forEach((k, v) -> lat.put(k, percentiles(v)));
    doc.put("overheadPercentilesMs", lat);
    Path file = dir.resolve("results.json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
    return file;
  }

  static final double[] PERCENTILES = {50, 90, 99, 99.9};

  static Map<String, Double> percentiles(double[] values) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (double p : PERCENTILES) {
      m.put(
          "p" + (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)),
          Stats.percentile(values, p));
    }
    return m;
  }

  /**
   * Writes {@code results.png} (null when no figure with a chart ran): left, every throughput
   * figure as a share of what it is compared with (Kafka's own limit, the Little's-law bound);
   * right, the pipeline overhead percentiles.
   */
  public static Path png(Path dir, List<Row> rows, Map<String, double[]> latencies)
      throws IOException {
    Map<String, Map<String, Double>> p = new LinkedHashMap<>();
    latencies.forEach(
        (k, v) -> {
          if (v.length > 0) {
            p.put(k, percentiles(v));
          }
        });
    return plot(dir, rows, p);
  }

  /** The same from rows and percentiles already computed (as results.json holds them). */
  public static Path plot(Path dir, List<Row> rows, Map<String, Map<String, Double>> percentiles)
      throws IOException {
    List<String> names = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (Row r : rows) {
      // shares of a limit only (the worker-vs-synchronous multiple would flatten the rest)
      if (r.ratio() != null
          && r.figure().matches("[2-4]|7")
          && !r.comparedTo().startsWith("synchronous")) {
        names.add(shortLabel(r));
        ratios.add(r.ratio());
      }
    }
    CategoryChart left =
        new CategoryChartBuilder()
            .width(900)
            .height(560)
            .title("Throughput as a share of its limit (1 = the limit)")
            .yAxisTitle("ratio")
            .build();
    left.getStyler().setXAxisLabelRotation(45);
    left.getStyler().setLegendVisible(false);
    left.getStyler().setChartBackgroundColor(Color.WHITE);
    left.getStyler().setAxisTickLabelsFont(left.getStyler().getAxisTickLabelsFont().deriveFont(9f));
    if (!names.isEmpty()) {
      left.addSeries("ratio", names, ratios);
    }
    CategoryChart right =
        new CategoryChartBuilder()
            .width(600)
            .height(560)
            .title("Pipeline overhead beyond the model (ms)")
            .xAxisTitle("percentile")
            .yAxisTitle("ms")
            .build();
    right.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    right.getStyler().setChartBackgroundColor(Color.WHITE);
    List<String> labels = new ArrayList<>();
    for (double p : PERCENTILES) {
      labels.add("p" + (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)));
    }
    percentiles.forEach(
        (name, values) -> right.addSeries(name, labels, labels.stream().map(values::get).toList()));
    // XChart cannot draw a chart without series: only the figures that ran are drawn
    List<BufferedImage> images = new ArrayList<>();
    for (CategoryChart chart : List.of(left, right)) {
      if (!chart.getSeriesMap().isEmpty()) {
        images.add(BitmapEncoder.getBufferedImage(chart));
      }
    }
    if (images.isEmpty()) {
      return null;
    }
    BufferedImage out =
        new BufferedImage(
            images.stream().mapToInt(BufferedImage::getWidth).sum(),
            images.stream().mapToInt(BufferedImage::getHeight).max().orElseThrow(),
            BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    int x = 0;
    for (BufferedImage i : images) {
      g.drawImage(i, x, 0, null);
      x += i.getWidth();
    }
    g.dispose();
    Path file = dir.resolve("results.png");
    Files.createDirectories(dir);
    ImageIO.write(out, "png", file.toFile());
    return file;
  }

  private static final Pattern CELL = Pattern.compile("(\\d+) partitions?, (\\d+) instances?");

  /** "router 4p/1i", "workers, observed calls 4p/1i": what and where, short enough for an axis. */
  static String shortLabel(Row r) {
    String what =
        r.name().startsWith("agent workers vs bound")
            ? "workers (observed call time)"
            : r.name().startsWith("agent workers")
                ? "workers"
                : r.name().contains("(") ? r.name().substring(0, r.name().indexOf(" (")) : r.name();
    Matcher m = CELL.matcher(r.setup());
    return m.find() ? what + " " + m.group(1) + "p/" + m.group(2) + "i" : what;
  }
}
