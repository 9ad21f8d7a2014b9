package dev.agentyard.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.cost.CostAggregatorApp;
import dev.agentyard.cost.CostAggregatorConfig;
import dev.agentyard.local.Ports;
import dev.agentyard.runtime.lifecycle.ServiceRunner;
import dev.agentyard.runtime.pricing.BilledTokens;
import dev.agentyard.runtime.pricing.PriceTable;
import dev.agentyard.simulator.Ledger;
import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import dev.agentyard.testing.SchemaRegistryEndpoint;
import dev.agentyard.workers.WorkerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline with 1-hour prompt-cache writes and a thinking model on the income route: our books
 * equal the provider's ledger to the micro-USD, and a re-pricing run with a changed price table
 * equals the ledger re-priced with that table.
 */
@ExtendWith(KafkaAndRegistryExtension.class)
class CacheRepricingIT {

  @Test
  void oneHourCacheWritesCostWhatTheLedgerBillsAndAreRepricedExactlyAfterAPriceChange(
      KafkaCluster kafka, SchemaRegistryEndpoint registry, @TempDir Path data) throws Exception {
    // a route prompt long enough to be cached by every model of the chain (Haiku 4.5: 4096 tokens)
    Path prompt = data.resolve("income-prompt.md");
    Files.writeString(prompt, incomePromptWithPolicyAppendix());
    Map<String, String> workers = new HashMap<>();
    workers.put("worker.route.income.system-prompt-file", prompt.toString());
    workers.put("worker.route.income.cache-ttl", "1h");
    workers.put("worker.route.income.thinking-budget", "2048");
    workers.put("worker.route.income.max-output-tokens", "4096");
    StackConfig config =
        new StackConfig(
            data,
            Optional.of(kafka.bootstrapServers()),
            Optional.of(registry.url()),
            (short) 1,
            new StackConfig.Ports(
                0,
                0,
                0,
                Ports.pick(),
                Ports.pick(),
                Ports.pick(),
                Ports.pick(),
                Ports.pick(),
                StackConfig.Ports.NO_ZIPKIN),
            false,
            4,
            StackConfig.DEFAULT_RETRY_DELAYS,
            Duration.ofMinutes(3),
            workers);
    try (LocalStack stack = LocalStack.start(config, line -> {})) {
      SampleWorkload workload =
          SampleWorkload.build("cache-" + System.nanoTime(), 4, data.resolve("documents"));
      StackRun.Report report = StackRun.run(stack, workload, config.timeout(), line -> {});
      assertThat(report.allAccounted()).isTrue();

      Ledger ledger = stack.simulator().orElseThrow().ledger();
      assertThat(ledger.totals().cacheWrite1hTokens()).as("1-hour cache writes").isPositive();
      assertThat(ledger.totals().cacheReadTokens()).as("cache reads").isPositive();
      assertThat(report.ledgerCostMicroUsd()).contains(report.usageCostMicroUsd());
      assertThat(report.aggregatorCostMicroUsd()).contains(report.usageCostMicroUsd());

      // the price of 1-hour writes and of Haiku's output change; every call is re-priced
      PriceTable corrected = corrected(data.resolve("prices-corrected.properties"));
      long sum = 0;
      for (Ledger.Entry e : ledger.entries()) {
        sum +=
            corrected
                .cost(
                    e.model(),
                    BilledTokens.ofEvent(
                        e.inputTokens(),
                        e.outputTokens(),
                        e.cacheReadTokens(),
                        e.cacheWriteTokens(),
                        e.cacheWrite1hTokens()),
                    PriceTable.STANDARD)
                .orElseThrow();
      }
      long expected = sum;
      assertThat(expected).isNotEqualTo(report.usageCostMicroUsd());

      int port = Ports.pick();
      Map<String, String> reprice = new HashMap<>();
      reprice.put("kafka.bootstrap.servers", kafka.bootstrapServers());
      reprice.put("schema.registry.url", registry.url());
      reprice.put("kafka.replication.factor", "1");
      reprice.put("http.host", "127.0.0.1");
      reprice.put("http.port", Integer.toString(port));
      reprice.put("kafka.streams.state.dir", data.resolve("state/reprice").toString());
      reprice.put("cost.reprice.table", data.resolve("prices-corrected.properties").toString());
      try (ServiceRunner repricing =
          CostAggregatorApp.start(CostAggregatorConfig.effective(reprice))) {
        Optional<Long> total =
            StackRun.poll(
                () -> StackRun.aggregatorTotal("http://127.0.0.1:" + port),
                t -> t == expected,
                Duration.ofSeconds(90));
        assertThat(total).as("re-priced total").contains(expected);
        System.out.printf(
            "1-hour cache writes: %d tokens in %d calls; cost %d µUSD = ledger %s = aggregator %s;"
                + " re-priced with %s: %d µUSD (ledger re-priced: %d)%n",
            ledger.totals().cacheWrite1hTokens(),
            ledger.totals().calls(),
            report.usageCostMicroUsd(),
            report.ledgerCostMicroUsd().orElse(-1L),
            report.aggregatorCostMicroUsd().orElse(-1L),
            corrected.version(),
            total.orElse(-1L),
            expected);
      }
    }
  }

  /** The bundled table with 1-hour writes at 2.5 x input and Haiku's output at USD 6. */
  private static PriceTable corrected(Path file) throws IOException {
    Properties p = new Properties();
    try (InputStream in = PriceTable.class.getResourceAsStream("/pricing/default.properties")) {
      p.load(in);
    }
    p.setProperty("version", "2026-12-05-corrected");
    for (String key : List.copyOf(p.stringPropertyNames())) {
      if (key.endsWith(".cache-write-1h") && key.startsWith("model.claude")) {
        String input = key.substring(0, key.length() - ".cache-write-1h".length()) + ".input";
        p.setProperty(key, Long.toString(Long.parseLong(p.getProperty(input)) * 5 / 2));
      }
    }
    p.setProperty("model.claude-haiku-4-5.output", "6000000");
    try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(out, "corrected prices for the re-pricing test");
    }
    return PriceTable.load(file);
  }

  /** The bundled income prompt, then a policy appendix of about 7,000 tokens. */
  private static String incomePromptWithPolicyAppendix() throws IOException {
    StringBuilder b = new StringBuilder();
    for (String name : List.of("/routes/preamble.md", "/routes/income.md")) {
      try (InputStream in = WorkerConfig.class.getResourceAsStream(name)) {
        b.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
      }
    }
    b.append("\nUnderwriting policy appendix (applies to every income document):\n");
    for (int i = 1; i <= 220; i++) {
      b.append("Rule ")
          .append(i)
          .append(": when a figure on the document disagrees with the application by more than ")
          .append(i % 7 + 1)
          .append(" percent, name both figures in issues.\n");
    }
    return b.toString();
  }
}
