package dev.agentyard.stack;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The run summary a person reads at the end of the main job. */
public final class Summary {

  private Summary() {}

  static String usd(long micro) {
    return String.format(Locale.ROOT, "$%,.6f", micro / 1_000_000.0);
  }

  public static String render(StackRun.Report r, LocalStack.Endpoints ep) {
    StringBuilder b = new StringBuilder();
    String rule = "─".repeat(100);
    b.append('\n').append(rule).append('\n');
    b.append(
        String.format(
            Locale.ROOT,
            "Agentyard sample run %s — %d loan applications, %d tasks published, %.1f s%n",
            r.runId(),
            r.applications(),
            r.published(),
            r.took().toMillis() / 1000.0));
    b.append(rule).append('\n');

    b.append(
        String.format(
            Locale.ROOT,
            "Tasks by outcome: %d of %d accounted for exactly once%s; duplicates %d%n",
            r.accounted(),
            r.published(),
            r.allAccounted() ? "" : " (" + (r.published() - r.accounted()) + " MISSING)",
            r.duplicates()));
    r.byOutcome().forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %-14s %5d%n", k, v)));
    if (r.unexpected().isEmpty()) {
      b.append(
          "  every task ended as the sample meant it to (poison pills, injection, triage, refusal, outage included)\n");
    } else {
      b.append("  not as the sample meant:\n");
      r.unexpected()
          .forEach((id, why) -> b.append("    ").append(id).append(": ").append(why).append('\n'));
    }

    section(b, "Results by route (fan-out copies to fraud included)", r.resultsByRoute());
    section(b, "Review items (reason, stage)", r.reviewsByReason());
    section(b, "Dead letters (reason, topic)", r.deadLettersByReason());

    b.append("\nCost per route and model (from this run's usage events)\n");
    b.append(
        String.format(
            Locale.ROOT,
            "  %-10s %-20s %7s %7s %10s %14s%n",
            "route",
            "model",
            "calls",
            "failed",
            "tokens",
            "cost"));
    for (StackRun.CostLine c : r.cost()) {
      b.append(
          String.format(
              Locale.ROOT,
              "  %-10s %-20s %7d %7d %10d %14s%n",
              c.route(),
              c.model(),
              c.calls(),
              c.failedCalls(),
              c.tokens(),
              usd(c.costMicroUsd())));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "  %-10s %-20s %7d %7s %10s %14s%n",
            "total",
            "",
            r.modelCalls(),
            "",
            "",
            usd(r.usageCostMicroUsd())));
    b.append(
        String.format(
            Locale.ROOT,
            "  %d calls were retries, %d went to a fallback model%n",
            r.retries(),
            r.fallbacks()));

    b.append("\nReconciliation\n");
    b.append("  usage events          ").append(usd(r.usageCostMicroUsd())).append('\n');
    b.append("  cost aggregator       ")
        .append(r.aggregatorCostMicroUsd().map(Summary::usd).orElse("(did not answer)"))
        .append(check(r.aggregatorCostMicroUsd(), r.usageCostMicroUsd()))
        .append('\n');
    b.append("  simulator ledger      ")
        .append(
            r.ledgerCostMicroUsd().map(Summary::usd).orElse("(real providers: see their invoices)"))
        .append(check(r.ledgerCostMicroUsd(), r.usageCostMicroUsd()))
        .append(
            r.ledgerCalls()
                .map(c -> "   (" + c + " calls served, " + r.modelCalls() + " usage events)")
                .orElse(""))
        .append('\n');

    b.append("\nWhere to look next\n");
    for (var t : r.traces().entrySet()) {
      ep.traceLink(t.getValue())
          .ifPresent(
              link ->
                  b.append("  trace        ")
                      .append(link)
                      .append("   ")
                      .append(t.getKey())
                      .append('\n'));
    }
    b.append("  metrics      ")
        .append(ep.router())
        .append("/metrics  ")
        .append(ep.workers())
        .append("/metrics  ")
        .append(ep.cost())
        .append("/metrics  ")
        .append(ep.dlq())
        .append("/metrics\n");
    b.append("  cost API     curl '")
        .append(ep.cost())
        .append("/cost/totals?dimension=route-model&period=day'\n");
    // the console's own defaults are a Confluent registry's (http://localhost:8081): the stack's
    // Apicurio is at /apis/ccompat/v7, which a command that writes Avro (budget set) must be told
    Map<String, String> dlqDefaults = dev.agentyard.dlq.DlqConfig.defaults();
    String dlqFlags =
        (sameAddress(ep.bootstrapServers(), dlqDefaults.get("kafka.bootstrap.servers"))
                ? ""
                : " -D kafka.bootstrap.servers=" + ep.bootstrapServers())
            + (sameAddress(ep.registryUrl(), dlqDefaults.get("schema.registry.url"))
                ? ""
                : " -D schema.registry.url=" + ep.registryUrl());
    if (ep.consoleConfig().isPresent()) {
      // secured: the console logs in as the dlq-handler, from an owner-only file
      dlqFlags = " -c " + ep.consoleConfig().get();
    }
    b.append("  dead letters java -jar dlq-handler/target/dlq-handler.jar summary")
        .append(dlqFlags)
        .append('\n');
    b.append(
        "               (then: list, show <topic>/<partition>/<offset>, replay --task <id> [--execute], review list)\n");
    b.append("  budgets      curl ")
        .append(ep.cost())
        .append("/budgets   (define one, live: java -jar dlq-handler/target/dlq-handler.jar")
        .append(dlqFlags)
        .append(" budget set 'tenant:acme-bank|day' --limit-usd 1 --mode hard --why 'try it')\n");
    b.append("  dlq HTTP API curl -H \"Authorization: Bearer $(cut -d: -f2 ")
        .append(ep.dlqTokenFile())
        .append(")\" ")
        .append(ep.dlq())
        .append("/api/v1/dead-letters/summary\n");
    b.append("  registry     ").append(ep.registryUrl()).append("/subjects");
    if (ep.consoleConfig().isPresent()) {
      b.append("   (HTTPS with basic authentication: users and passwords in ")
          .append(ep.consoleConfig().get().getParent())
          .append(")");
    }
    b.append('\n');
    b.append(rule).append('\n');
    return b.toString();
  }

  private static String check(Optional<Long> other, long usage) {
    if (other.isEmpty()) {
      return "";
    }
    long drift = other.get() - usage;
    return drift == 0
        ? "   = usage events, to the micro-dollar"
        : String.format(Locale.ROOT, "   DRIFT %+d micro-USD", drift);
  }

  private static void section(StringBuilder b, String title, Map<String, Long> counts) {
    b.append('\n').append(title).append('\n');
    if (counts.isEmpty()) {
      b.append("  (none)\n");
    }
    counts.forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %-60s %5d%n", k, v)));
  }

  /** The same address, taking localhost and 127.0.0.1 as one. */
  private static boolean sameAddress(String a, String b) {
    return b != null
        && a.replace("localhost", "127.0.0.1").equals(b.replace("localhost", "127.0.0.1"));
  }
}
