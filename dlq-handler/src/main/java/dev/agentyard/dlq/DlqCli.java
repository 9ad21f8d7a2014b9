package dev.agentyard.dlq;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentyard.avro.AuditOutcome;
import dev.agentyard.avro.BudgetAtLimit;
import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetMode;
import dev.agentyard.avro.ControlAction;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ControlScope;
import dev.agentyard.avro.DlqAuditEvent;
import dev.agentyard.dlq.inspect.DeadLetter;
import dev.agentyard.dlq.inspect.DeadLetterBrowser;
import dev.agentyard.dlq.inspect.DeadLetterFilter;
import dev.agentyard.dlq.reconcile.ProviderExport;
import dev.agentyard.dlq.reconcile.Reconciliation;
import dev.agentyard.dlq.replay.Redrive;
import dev.agentyard.dlq.review.ReviewQueue;
import dev.agentyard.runtime.config.ConfigFiles;
import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.runtime.pricing.PriceTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dlq}: the on-call engineer's command line for dead letters and review items. See
 * docs/dlq-handler.md and docs/runbooks/dead-letter-spike.md.
 */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    version = "agentyard dlq 0.1.0",
    description =
        "Inspect, replay and park dead letters; decide review items. Every action is audited.",
    subcommands = {
      DlqCli.Topics.class,
      DlqCli.ListCmd.class,
      DlqCli.SummaryCmd.class,
      DlqCli.Show.class,
      DlqCli.Replay.class,
      DlqCli.Park.class,
      DlqCli.Review.class,
      DlqCli.Audit.class,
      DlqCli.Journal.class,
      DlqCli.Control.class,
      DlqCli.Budget.class,
      DlqCli.Reconcile.class,
      DlqCli.Serve.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Examples:",
      "  dlq summary --since 2h",
      "  dlq list --topic agent.route.income.v1.dlq --reason RETRIES_EXHAUSTED",
      "  dlq show agent.route.income.v1.dlq/2/118",
      "  dlq replay --topic agent.route.income.v1.dlq --reason RETRIES_EXHAUSTED            (dry run)",
      "  dlq replay --topic agent.route.income.v1.dlq --reason RETRIES_EXHAUSTED --execute --rate 20 --why 'provider back'",
      "  dlq review list",
      "  dlq review approve <review-id> --why 'checked the figures'",
      "  dlq budget set 'tenant:acme|day' --limit-usd 50 --mode lease --at-limit review --why 'Q4 plan'",
      "  dlq reconcile --provider anthropic --export usage_report.json --since 2026-12-01T00:00:00Z --until 2026-12-02T00:00:00Z"
    })
public final class DlqCli implements Callable<Integer> {

  @Option(
      names = {"-c", "--config"},
      description =
          "Properties file (default: $AGENTYARD_CONFIG_FILE); AGENTYARD_* variables override it.")
  Path configFile;

  @Option(
      names = "-D",
      description = "Override one config key, e.g. -D kafka.bootstrap.servers=host:9092",
      mapFallbackValue = "")
  Map<String, String> overrides = new HashMap<>();

  @Option(
      names = "--operator",
      description = "Your name for the audit trail (default: the OS user).")
  String operator;

  @Option(names = "--json", description = "Print JSON instead of tables.")
  boolean json;

  @Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    if (!List.of(args).contains("serve")) {
      // a command's stdout is its output (tables, --json for scripts): logs go to stderr, warnings
      // and up, as text
      defaultProperty("AGENTYARD_LOG_TARGET", "System.err");
      defaultProperty("AGENTYARD_LOG_LEVEL", "WARN");
      defaultProperty("AGENTYARD_LOG_FORMAT", "text");
    }
    System.exit(
        new CommandLine(new DlqCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }

  private static void defaultProperty(String name, String value) {
    if (System.getenv(name) == null && System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  Map<String, String> rawConfig() {
    Map<String, String> env = System.getenv();
    Path file =
        configFile != null
            ? configFile
            : Optional.ofNullable(env.get(ConfigLoader.CONFIG_FILE_ENV))
                .filter(s -> !s.isBlank())
                .map(Path::of)
                .orElse(null);
    Map<String, String> c = new HashMap<>(ConfigLoader.load(DlqConfig.defaults(), file, env));
    c.putAll(overrides);
    return c;
  }

  DlqConsole console() {
    return DlqConsole.connect(
        DlqConfig.fromMap(rawConfig(), System.getenv(), ConfigFiles.disk()),
        new SimpleMeterRegistry());
  }

  String actor() {
    return "cli:"
        + (operator != null && !operator.isBlank()
            ? operator
            : System.getProperty("user.name", "unknown"));
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  void print(JsonNode node) {
    try {
      out().println(Views.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The filter options every selecting command shares. */
  static final class FilterOptions {
    @Option(
        names = "--topic",
        split = ",",
        description = "Dead-letter topic(s) (default: every *.dlq topic).")
    List<String> topics = new ArrayList<>();

    @Option(
        names = "--since",
        description = "From this time: ISO-8601 (2026-11-21T03:00:00Z) or an age (30m, 2h, 1d).")
    String since;

    @Option(names = "--until", description = "Before this time: ISO-8601 or an age.")
    String until;

    @Option(
        names = "--reason",
        description = "Dead-letter reason, e.g. RETRIES_EXHAUSTED, DESERIALIZATION_FAILED.")
    String reason;

    @Option(
        names = "--error-class",
        description = "Substring of the exception class, e.g. Timeout.")
    String errorClass;

    @Option(names = "--route", description = "Route, e.g. income.")
    String route;

    @Option(names = "--model", description = "Model, e.g. claude-haiku-4-5.")
    String model;

    @Option(names = "--task", description = "Task id.")
    String task;

    @Option(names = "--grep", description = "Case-insensitive text in the error message.")
    String text;

    @Option(
        names = "--status",
        description = "pending, replayed, parked or any (default: ${DEFAULT-VALUE}).",
        defaultValue = "any")
    String status;

    DeadLetterFilter filter() {
      return DeadLetterFilter.builder()
          .topics(topics)
          .from(time(since).orElse(null))
          .to(time(until).orElse(null))
          .reason(reason)
          .errorClass(errorClass)
          .route(route)
          .model(model)
          .taskId(task)
          .text(text)
          .status(status)
          .build();
    }

    static Optional<Instant> time(String v) {
      if (v == null) {
        return Optional.empty();
      }
      if (v.matches("\\d+[smhd]")) {
        long n = Long.parseLong(v.substring(0, v.length() - 1));
        Duration d =
            switch (v.charAt(v.length() - 1)) {
              case 's' -> Duration.ofSeconds(n);
              case 'm' -> Duration.ofMinutes(n);
              case 'h' -> Duration.ofHours(n);
              default -> Duration.ofDays(n);
            };
        return Optional.of(Instant.now().minus(d));
      }
      return Optional.of(Instant.parse(v));
    }
  }

  @Command(name = "topics", description = "List the dead-letter topics of the cluster.")
  static final class Topics implements Callable<Integer> {
    @ParentCommand DlqCli root;

    @Override
    public Integer call() {
      try (DlqConsole c = root.console()) {
        c.browser().deadLetterTopics().forEach(root.out()::println);
      }
      return 0;
    }
  }

  @Command(name = "list", description = "List dead letters, oldest first, a page at a time.")
  static final class ListCmd implements Callable<Integer> {
    @ParentCommand DlqCli root;
    @Mixin FilterMixin filter;

    @Option(
        names = "--limit",
        defaultValue = "50",
        description = "Page size (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(
        names = "--cursor",
        description = "Continue after this id (printed at the end of the previous page).")
    String cursor;

    @Override
    public Integer call() {
      try (DlqConsole c = root.console()) {
        DeadLetterBrowser.Page page =
            c.browser().page(filter.options.filter(), limit, Optional.ofNullable(cursor));
        if (root.json) {
          root.print(Views.page(page, c.config()::traceLinkOf));
          return 0;
        }
        PrintWriter o = root.out();
        o.printf(
            "%-44s %-20s %-24s %-10s %-14s %3s %s%n",
            "ID", "FAILED AT", "REASON", "ROUTE", "TASK", "RPL", "ERROR");
        for (DeadLetter d : page.items()) {
          o.printf(
              "%-44s %-20s %-24s %-10s %-14s %3d %s%n",
              d.coordinates(),
              d.timestamp().toString().substring(0, 19),
              d.failure().reason(),
              d.run().route(),
              abbreviate(d.run().taskId(), 14),
              d.run().replayCount(),
              abbreviate(d.failure().message(), 70));
        }
        o.printf(
            "%d of %d shown.%s%n",
            page.items().size(),
            page.total(),
            page.nextCursor().map(n -> " Next page: --cursor " + n).orElse(""));
      }
      return 0;
    }
  }

  /** Wraps the filter options so picocli can mix them into several commands. */
  static final class FilterMixin {
    @ArgGroup(exclusive = false, heading = "Selection:%n")
    FilterOptions options = new FilterOptions();
  }

  @Command(
      name = "summary",
      description = "Counts of dead letters by reason, error class, route, hour and topic.")
  static final class SummaryCmd implements Callable<Integer> {
    @ParentCommand DlqCli root;
    @Mixin FilterMixin filter;

    @Override
    public Integer call() {
      try (DlqConsole c = root.console()) {
        DeadLetterBrowser.Summary s = c.browser().summary(filter.options.filter());
        if (root.json) {
          root.print(Views.summary(s));
          return 0;
        }
        PrintWriter o = root.out();
        o.printf(
            "%d dead letters; their failed runs spent %d tokens, $%.6f%n",
            s.total(), s.tokensSpent(), s.costSpentMicroUsd() / 1e6);
        section(o, "by reason", s.byReason());
        section(o, "by error class", s.byErrorClass());
        section(o, "by route", s.byRoute());
        section(o, "by hour (UTC)", s.byHour());
        section(o, "by topic", s.byTopic());
      }
      return 0;
    }

    private static void section(PrintWriter o, String title, Map<String, Integer> counts) {
      o.println(title + ":");
      counts.forEach((k, v) -> o.printf("  %-48s %6d%n", k, v));
    }
  }

  @Command(
      name = "show",
      description =
          "Inspect one dead letter: headers of every convention, the value decoded through the registry.")
  static final class Show implements Callable<Integer> {
    @ParentCommand DlqCli root;

    @Parameters(
        paramLabel = "ID",
        description = "<topic>/<partition>/<offset>, as printed by list.")
    String id;

    @Option(names = "--show-content", description = "Show document content unredacted (audited).")
    boolean showContent;

    @Override
    public Integer call() {
      try (DlqConsole c = root.console()) {
        root.print(
            Views.inspection(c.inspect(id, showContent, root.actor()), c.config()::traceLinkOf));
      }
      return 0;
    }
  }

  @Command(
      name = "replay",
      description = {
        "Replay dead letters to their original topic (or a retry topic of it).",
        "Without --execute this is a dry run: what would be replayed, what is refused and why, and the estimated cost."
      })
  static final class Replay implements Callable<Integer> {
    @ParentCommand DlqCli root;
    @Mixin FilterMixin filter;

    @Option(
        names = "--to",
        description =
            "Target: the original topic (default) or one of its retry topics, e.g. agent.route.income.v1.retry.1m.")
    String to;

    @Option(names = "--execute", description = "Really replay (otherwise: dry run).")
    boolean execute;

    @Option(
        names = "--force",
        description = "Replay records already replayed or parked (the loop guard still holds).")
    boolean force;

    @Option(
        names = "--rate",
        description = "Records per second (default: dlq.replay.rate-per-second).")
    Integer rate;

    @Option(
        names = "--limit",
        defaultValue = "0",
        description = "At most this many records (0 = all selected).")
    int limit;

    @Option(names = "--why", description = "Why you replay, for the audit trail.")
    String why;

    @Override
    public Integer call() {
      try (DlqConsole c = root.console()) {
        Redrive.Request req =
            Redrive.Request.of(filter.options.filter(), why)
                .to(to)
                .withDryRun(!execute)
                .forced(force)
                .pacedAt(rate == null ? c.config().ratePerSecond() : rate)
                .limitedTo(limit);
        Redrive.Report r =
            c.redrive()
                .replay(
                    req,
                    root.actor(),
                    new Redrive.Progress() {
                      @Override
                      public void committed(int done, int total) {
                        if (!root.json) {
                          root.out().printf("  replayed %d/%d%n", done, total);
                          root.out().flush();
                        }
                      }
                    });
        return printReport(root, r);
      }
    }
  }

  static int printReport(DlqCli root, Redrive.Report r) {
    if (root.json) {
      root.print(Views.report(r));
    } else {
      PrintWriter o = root.out();
      o.printf(
          "%s%s: %d selected, %d accepted, %d refused%n",
          r.action(),
          r.dryRun() ? " (dry run, nothing written)" : "",
          r.selected(),
          r.accepted().size(),
          r.refused().size());
      for (Redrive.Item i : r.accepted()) {
        o.printf("  %-44s -> %-40s task %s%n", i.coordinates(), i.target(), i.taskId());
      }
      for (Redrive.Item i : r.refused()) {
        o.printf("  REFUSED %-36s %s%n", i.coordinates(), i.refusal().orElse(""));
      }
      o.printf(
          "Estimated cost of the accepted records (what their failed runs spent): %d tokens, $%.6f%s%n",
          r.estimatedTokens(),
          r.estimatedCostMicroUsd() / 1e6,
          r.withoutUsage() > 0 ? " (" + r.withoutUsage() + " never reached a model)" : "");
      o.printf("%s: %s (audit %s)%n", r.outcome(), r.detail(), r.auditId());
    }
    return r.outcome() == AuditOutcome.SUCCEEDED ? 0 : 1;
  }

  @Command(
      name = "park",
      description = "Move dead letters that must not be replayed to <dlq>.parked, with the reason.")
  static final class Park implements Callable<Integer> {
    @ParentCommand DlqCli root;
    @Mixin FilterMixin filter;

    @Option(names = "--why", required = true, description = "Why these must not be replayed.")
    String why;

    @Option(names = "--force", description = "Park records already replayed or parked.")
    boolean force;

    @Option(
        names = "--limit",
        defaultValue = "0",
        description = "At most this many records (0 = all selected).")
    int limit;

    @Override
    public Integer call() {
      try (DlqConsole c = root.console()) {
        Redrive.Request req =
            Redrive.Request.of(filter.options.filter(), why)
                .forced(force)
                .pacedAt(c.config().ratePerSecond())
                .limitedTo(limit);
        return printReport(root, c.redrive().park(req, root.actor(), Redrive.Progress.NONE));
      }
    }
  }

  @Command(
      name = "review",
      description = "The human review queue.",
      subcommands = {
        Review.ListReviews.class,
        Review.ShowReview.class,
        Review.Claim.class,
        Review.Approve.class,
        Review.Reject.class
      })
  static final class Review implements Callable<Integer> {
    @ParentCommand DlqCli root;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(root.out());
      return 0;
    }

    @Command(name = "list", description = "List review items (open ones by default).")
    static final class ListReviews implements Callable<Integer> {
      @ParentCommand Review review;

      @Option(
          names = "--status",
          defaultValue = "open",
          description = "open, decided or all (default: ${DEFAULT-VALUE}).")
      String status;

      @Option(
          names = "--reason",
          description = "e.g. IRREVERSIBLE_ACTION, LOW_CONFIDENCE, INJECTION_SUSPECTED.")
      String reason;

      @Option(names = "--route")
      String route;

      @Option(names = "--tenant")
      String tenant;

      @Override
      public Integer call() {
        DlqCli root = review.root;
        try (DlqConsole c = root.console()) {
          List<ReviewQueue.Entry> entries =
              c.reviews()
                  .list(
                      new ReviewQueue.Filter(
                          status,
                          Optional.ofNullable(reason),
                          Optional.ofNullable(route),
                          Optional.ofNullable(tenant)));
          if (root.json) {
            root.print(Views.reviews(entries, c.config()::traceLinkOf));
            return 0;
          }
          PrintWriter o = root.out();
          o.printf(
              "%-40s %-20s %-22s %-10s %-14s %-8s %s%n",
              "REVIEW ID", "RAISED AT", "REASON", "ROUTE", "TASK", "STATE", "DETAIL");
          for (ReviewQueue.Entry e : entries) {
            var i = e.item();
            o.printf(
                "%-40s %-20s %-22s %-10s %-14s %-8s %s%n",
                i.getReviewId(),
                i.getCreatedAt().toString().substring(0, 19),
                i.getReason(),
                i.getRoute() == null ? "-" : i.getRoute(),
                abbreviate(i.getTaskId(), 14),
                e.open()
                    ? e.claimedAt(java.time.Instant.now())
                        .map(cl -> "held by " + cl.actor())
                        .orElse("open")
                    : e.decision()
                        .get()
                        .getAction()
                        .name()
                        .substring("REVIEW_".length())
                        .toLowerCase(Locale.ROOT),
                abbreviate(i.getDetail(), 70));
          }
          o.printf("%d item(s).%n", entries.size());
        }
        return 0;
      }
    }

    @Command(
        name = "show",
        description = "One review item in full (document content redacted unless asked).")
    static final class ShowReview implements Callable<Integer> {
      @ParentCommand Review review;

      @Parameters(paramLabel = "REVIEW_ID")
      String id;

      @Option(names = "--show-content")
      boolean showContent;

      @Override
      public Integer call() {
        try (DlqConsole c = review.root.console()) {
          review.root.print(
              Views.review(
                  c.reviews()
                      .find(id)
                      .orElseThrow(() -> new NoSuchElementException("no review item " + id)),
                  showContent,
                  c.config()::traceLinkOf));
        }
        return 0;
      }
    }

    @Command(
        name = "approve",
        description = {
          "Approve: the task goes back to its route (or --route), with a single-use grant for",
          "the irreversible action it proposed, if any."
        })
    static final class Approve implements Callable<Integer> {
      @ParentCommand Review review;

      @Parameters(paramLabel = "REVIEW_ID")
      String id;

      @Option(
          names = "--why",
          required = true,
          description = "Why you approve, for the audit trail.")
      String why;

      @Option(
          names = "--route",
          description = "Route to send it to (required when the item was never routed).")
      String route;

      @Override
      public Integer call() {
        try (DlqConsole c = review.root.console()) {
          return printDecision(
              review.root,
              c.reviews().approve(id, review.root.actor(), why, Optional.ofNullable(route)));
        }
      }
    }

    @Command(
        name = "claim",
        description =
            "Claim an item (dlq.review.claim-ttl, 30 min): no other reviewer may decide it meanwhile;"
                + " claiming again renews it.")
    static final class Claim implements Callable<Integer> {
      @ParentCommand Review review;

      @Parameters(paramLabel = "REVIEW_ID")
      String id;

      @Override
      public Integer call() {
        try (DlqConsole c = review.root.console()) {
          return printDecision(review.root, c.reviews().claim(id, review.root.actor()));
        }
      }
    }

    @Command(
        name = "reject",
        description = "Reject: the task ends with a final REJECTED result carrying your reason.")
    static final class Reject implements Callable<Integer> {
      @ParentCommand Review review;

      @Parameters(paramLabel = "REVIEW_ID")
      String id;

      @Option(
          names = "--why",
          required = true,
          description = "Why you reject: it becomes the task's final result.")
      String why;

      @Override
      public Integer call() {
        try (DlqConsole c = review.root.console()) {
          return printDecision(review.root, c.reviews().reject(id, review.root.actor(), why));
        }
      }
    }
  }

  static int printDecision(DlqCli root, ReviewQueue.Decision d) {
    if (root.json) {
      root.print(Views.decision(d));
    } else {
      root.out()
          .printf(
              "%s %s: %s — %s (audit %s)%n",
              d.action(), d.reviewId(), d.outcome(), d.detail(), d.auditId());
    }
    return d.outcome() == AuditOutcome.SUCCEEDED ? 0 : 1;
  }

  @Command(name = "audit", description = "The latest audited actions.")
  static final class Audit implements Callable<Integer> {
    @ParentCommand DlqCli root;

    @Option(names = "--limit", defaultValue = "20")
    int limit;

    @Override
    public Integer call() {
      try (DlqConsole c = root.console()) {
        List<DlqAuditEvent> all = c.reviews().auditTrail();
        List<DlqAuditEvent> last = all.subList(Math.max(0, all.size() - limit), all.size());
        if (root.json) {
          root.print(Views.audit(last));
          return 0;
        }
        for (DlqAuditEvent e : last) {
          root.out()
              .printf(
                  "%s %-15s %-9s %-22s n=%-5d refused=%-4d %s%s%n",
                  e.getOccurredAt(),
                  e.getAction(),
                  e.getOutcome(),
                  e.getActor(),
                  e.getRecordCount(),
                  e.getRefusedCount(),
                  e.getSelection() == null ? "" : e.getSelection(),
                  e.getDetail() == null ? "" : " — " + e.getDetail());
        }
      }
      return 0;
    }
  }

  @Command(
      name = "reconcile",
      description = {
        "Our usage events of one provider against the provider's own usage export: calls on one"
            + " side only, tokens and money that differ (docs/runbooks/providers.md).",
        "Exports: per request (JSON list, a \"calls\" list, or CSV with a header: request_id,"
            + " model, input_tokens, output_tokens, cache_read_input_tokens,"
            + " cache_creation_input_tokens, ephemeral_1h_input_tokens, cost_usd), or per bucket"
            + " (Anthropic usage_report/messages, OpenAI organization/usage/completions JSON).",
        "Exit code 0 when the books agree, 3 when they differ."
      })
  static final class Reconcile implements Callable<Integer> {
    @ParentCommand DlqCli root;

    @Option(
        names = "--provider",
        required = true,
        description = "The provider as usage events name it, e.g. anthropic or openai.")
    String provider;

    @Option(names = "--export", required = true, description = "The provider's export file.")
    Path export;

    @Option(
        names = "--since",
        required = true,
        description = "Start of the export's period: ISO-8601 or an age (1d).")
    String since;

    @Option(names = "--until", description = "End of the period (default: now).")
    String until;

    @Option(
        names = "--prices",
        description =
            "Price table to cost the provider's tokens with (default: pricing.table, else the"
                + " bundled one).")
    Path prices;

    @Override
    public Integer call() throws Exception {
      Instant from = FilterOptions.time(since).orElseThrow();
      Instant to = FilterOptions.time(until).orElse(Instant.now());
      ProviderExport theirs = ProviderExport.read(export);
      PriceTable table =
          prices != null
              ? PriceTable.load(prices)
              : Optional.ofNullable(root.rawConfig().get("pricing.table"))
                  .filter(v -> !v.isBlank())
                  .map(v -> PriceTable.load(Path.of(v)))
                  .orElseGet(PriceTable::bundled);
      Reconciliation.Report r;
      try (DlqConsole c = root.console()) {
        r = new Reconciliation(table).compare(c.usage(provider, from, to), theirs);
      }
      if (root.json) {
        root.print(Views.JSON.valueToTree(r));
        return r.clean() ? 0 : 3;
      }
      PrintWriter out = root.out();
      out.printf(
          "%s %s .. %s, prices %s%n  ours   %,d µUSD%n  theirs %,d µUSD  (difference %,d)%n",
          provider,
          from,
          to,
          table.version(),
          r.ourMicroUsd(),
          r.theirMicroUsd(),
          r.theirMicroUsd() - r.ourMicroUsd());
      if (r.buckets().isEmpty()) {
        out.printf(
            "  %d calls agree, %d only in our books, %d only in theirs, %d differ%n",
            r.matched(), r.onlyOurs().size(), r.onlyTheirs().size(), r.mismatched().size());
      }
      for (Reconciliation.Unmatched u : r.onlyTheirs()) {
        out.printf(
            "  ONLY THEIRS %s %s %s %,d µUSD%n",
            u.requestId(), u.model(), u.tokens(), u.microUsd());
      }
      for (Reconciliation.Unmatched u : r.onlyOurs()) {
        out.printf(
            "  ONLY OURS   %s %s %s %,d µUSD%n",
            u.requestId(), u.model(), u.tokens(), u.microUsd());
      }
      for (Reconciliation.Mismatch m : r.mismatched()) {
        out.printf(
            "  DIFFERS     %s %s ours %s %,d µUSD, theirs %s %,d µUSD%n",
            m.requestId(), m.model(), m.ours(), m.ourMicroUsd(), m.theirs(), m.theirMicroUsd());
      }
      for (Reconciliation.BucketLine b : r.buckets()) {
        out.printf(
            "  %s %s %-28s calls %d/%s ours %s %,d µUSD, theirs %s %,d µUSD%n",
            b.differs() ? "DIFFERS" : "agrees ",
            b.start(),
            b.model(),
            b.ourCalls(),
            b.theirCalls() < 0 ? "?" : Long.toString(b.theirCalls()),
            b.ours(),
            b.ourMicroUsd(),
            b.theirs(),
            b.theirMicroUsd());
      }
      if (r.unconfirmed() > 0) {
        out.printf(
            "  %d UNCONFIRMED calls in our books (estimates kept apart): a call only in theirs may"
                + " be one of them%n",
            r.unconfirmed());
      }
      out.println(r.clean() ? "The books agree." : "The books differ.");
      return r.clean() ? 0 : 3;
    }
  }

  @Command(
      name = "journal",
      description = {
        "The run journal of a task on a route: the calls started and ended and the tools run by"
            + " a run that has not ended (docs/runbooks/journal.md).",
        "Answers and tool inputs/outputs are redacted."
      })
  static final class Journal implements Callable<Integer> {
    @ParentCommand DlqCli root;

    @Option(names = "--route", required = true, description = "Route, e.g. income.")
    String route;

    @Option(names = "--task", required = true, description = "Task id.")
    String task;

    @Override
    public Integer call() {
      try (DlqConsole c = root.console()) {
        List<ObjectNode> steps = c.journal(route, task);
        if (root.json) {
          ArrayNode a = Views.JSON.createArrayNode();
          steps.forEach(a::add);
          root.print(a);
          return 0;
        }
        if (steps.isEmpty()) {
          root.out()
              .printf(
                  "No journaled steps for task %s on route %s: the run ended (its steps are"
                      + " tombstoned) or never started.%n",
                  task, route);
          return 0;
        }
        for (ObjectNode s : steps) {
          JsonNode v = s.path("value");
          root.out()
              .printf(
                  "%3d %-16s turn %-2d %s%n",
                  v.path("seq").asInt(),
                  v.path("step").asText(),
                  v.path("turn").asInt(),
                  describe(v));
        }
      }
      return 0;
    }

    static String describe(JsonNode v) {
      return switch (v.path("step").asText()) {
        case "CALL_STARTED" ->
            String.format(
                "attempt %s %s/%s estimate %d µUSD at %s",
                text(v, "attemptId"),
                text(v, "provider"),
                text(v, "model"),
                v.path("costMicroUsd").asLong(),
                v.path("at").asText());
        case "CALL_ENDED" ->
            String.format(
                "attempt %s %s %s tokens in/out %d/%d cost %d µUSD%s",
                text(v, "attemptId"),
                text(v, "model"),
                text(v, "outcome"),
                v.path("inputTokens").asLong(),
                v.path("outputTokens").asLong(),
                v.path("costMicroUsd").asLong(),
                v.path("response").isNull() || v.path("response").isMissingNode()
                    ? ""
                    : " (answer journaled)");
        case "CALL_UNCONFIRMED" ->
            String.format(
                "attempt %s settled as UNCONFIRMED, estimate %d µUSD",
                text(v, "attemptId"), v.path("costMicroUsd").asLong());
        case "TOOL_EXECUTED" ->
            String.format(
                "%s call %s%s%s%s",
                text(v, "tool"),
                text(v, "toolUseId"),
                v.path("toolError").asBoolean() ? " (error)" : "",
                v.path("irreversible").asBoolean() ? " IRREVERSIBLE" : "",
                v.path("grantId").isTextual() ? " under grant " + v.path("grantId").asText() : "");
        default -> v.toString();
      };
    }

    private static String text(JsonNode v, String field) {
      JsonNode n = v.path(field);
      // unions render as {"string": "..."} in Avro JSON; plain text otherwise
      if (n.isObject() && n.size() == 1) {
        n = n.elements().next();
      }
      return n.isMissingNode() || n.isNull() ? "-" : n.asText();
    }
  }

  @Command(
      name = "control",
      description = {
        "Kill, pause or resume a task, tenant, route or everything (agent.control.v1).",
        "KILL task:<id> parks a stuck run: it stops at its next turn and goes to review (KILLED).",
        "PAUSE holds a route's work in Kafka; RESUME lifts a pause or a kill."
      })
  static final class Control implements Callable<Integer> {
    @ParentCommand DlqCli root;

    @Parameters(index = "0", paramLabel = "ACTION", description = "kill, pause or resume.")
    ControlAction action;

    @Parameters(index = "1", paramLabel = "SCOPE", description = "task, tenant, route or global.")
    ControlScope scope;

    @Parameters(
        index = "2",
        arity = "0..1",
        paramLabel = "TARGET",
        description = "The task id, tenant or route (none for global).")
    String target;

    @Option(names = "--reason", required = true, description = "Why (kept with the command).")
    String reason;

    @Option(names = "--expires", description = "Lapses by itself after this long, e.g. 2h.")
    String expires;

    @Override
    public Integer call() {
      if (scope != ControlScope.GLOBAL && (target == null || target.isBlank())) {
        throw new CommandLine.ParameterException(
            root.spec.commandLine(), scope + " needs a target");
      }
      Optional<Duration> lapse =
          Optional.ofNullable(expires)
              .map(v -> Duration.between(FilterOptions.time(v).orElseThrow(), Instant.now()));
      try (DlqConsole c = root.console()) {
        ControlCommand cmd = c.control(scope, target, action, reason, root.actor(), lapse);
        root.out()
            .printf(
                "%s %s:%s by %s (command %s)%s%n",
                cmd.getAction(),
                cmd.getScope(),
                cmd.getTarget(),
                cmd.getIssuedBy(),
                cmd.getCommandId(),
                cmd.getExpiresAt() == null ? "" : ", lapses at " + cmd.getExpiresAt());
      }
      return 0;
    }
  }

  @Command(
      name = "budget",
      description = {
        "Budgets the ledger holds every call to before it is sent (agent.budget.definitions.v1);"
            + " changed live, audited.",
        "Ids: tenant:<t>|day, route:<r>|month, tenant-route:<t>/<r>|day (quote the |).",
        "The current spend, holds and leases: GET /budgets on the cost aggregator."
      },
      subcommands = {Budget.ListBudgets.class, Budget.SetBudget.class, Budget.DeleteBudget.class})
  static final class Budget implements Callable<Integer> {
    @ParentCommand DlqCli root;
    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(root.out());
      return 0;
    }

    @Command(name = "list", description = "Every budget defined.")
    static final class ListBudgets implements Callable<Integer> {
      @ParentCommand Budget parent;

      @Override
      public Integer call() {
        try (DlqConsole c = parent.root.console()) {
          List<BudgetDefinition> all = c.budgets();
          if (parent.root.json) {
            parent.root.print(Views.budgets(all));
            return 0;
          }
          PrintWriter out = parent.root.out();
          out.printf(
              "%-40s %14s %-6s %-9s %12s  %s%n",
              "BUDGET", "LIMIT USD", "MODE", "AT LIMIT", "LEASE USD", "SET BY");
          for (BudgetDefinition d : all) {
            out.printf(
                "%-40s %14.6f %-6s %-9s %12.6f  %s at %s%n",
                d.getBudgetId(),
                d.getLimitMicroUsd() / 1e6,
                d.getMode().name().toLowerCase(Locale.ROOT),
                d.getAtLimit().name().toLowerCase(Locale.ROOT),
                d.getLeaseMicroUsd() / 1e6,
                d.getUpdatedBy(),
                d.getUpdatedAt());
          }
          if (all.isEmpty()) {
            out.println("(no budgets: calls are limited only by per-task caps)");
          }
        }
        return 0;
      }
    }

    @Command(name = "set", description = "Define or change a budget, live.")
    static final class SetBudget implements Callable<Integer> {
      @ParentCommand Budget parent;

      @Parameters(index = "0", paramLabel = "BUDGET", description = "The budget id.")
      String budgetId;

      @Option(names = "--limit-usd", required = true, description = "The limit in USD, e.g. 0.50.")
      java.math.BigDecimal limitUsd;

      @Option(
          names = "--mode",
          defaultValue = "lease",
          description = "hard (a ledger round trip per call, overshoot 0) or lease (default).")
      BudgetMode mode;

      @Option(
          names = "--at-limit",
          defaultValue = "review",
          description =
              "review (default: the run stops, journal kept, for a person), wait (the retry"
                  + " ladder) or fallback (the chain's cheaper models, then review).")
      BudgetAtLimit atLimit;

      @Option(
          names = "--lease-usd",
          description = "Lease mode's slice per instance (default: a twentieth of the limit).")
      java.math.BigDecimal leaseUsd;

      @Option(names = "--why", required = true, description = "Why, for the audit trail.")
      String why;

      @Override
      public Integer call() {
        try (DlqConsole c = parent.root.console()) {
          BudgetDefinition d =
              c.setBudget(
                  budgetId,
                  micros(limitUsd),
                  mode,
                  atLimit,
                  leaseUsd == null ? 0 : micros(leaseUsd),
                  why,
                  parent.root.actor());
          parent
              .root
              .out()
              .printf(
                  "Budget %s set: %,d µUSD per %s, %s mode, at the limit %s (by %s)%n",
                  d.getBudgetId(),
                  d.getLimitMicroUsd(),
                  d.getPeriod().name().toLowerCase(Locale.ROOT),
                  d.getMode().name().toLowerCase(Locale.ROOT),
                  d.getAtLimit().name().toLowerCase(Locale.ROOT),
                  d.getUpdatedBy());
        }
        return 0;
      }

      private static long micros(java.math.BigDecimal usd) {
        return usd.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
      }
    }

    @Command(name = "delete", description = "Delete a budget: it limits nothing from now on.")
    static final class DeleteBudget implements Callable<Integer> {
      @ParentCommand Budget parent;

      @Parameters(index = "0", paramLabel = "BUDGET", description = "The budget id.")
      String budgetId;

      @Option(names = "--why", required = true, description = "Why, for the audit trail.")
      String why;

      @Override
      public Integer call() {
        try (DlqConsole c = parent.root.console()) {
          c.deleteBudget(budgetId, why, parent.root.actor());
          parent.root.out().printf("Budget %s deleted%n", budgetId);
        }
        return 0;
      }
    }
  }

  @Command(name = "serve", description = "Run the HTTP API (bearer token required) until Ctrl-C.")
  static final class Serve implements Callable<Integer> {
    @ParentCommand DlqCli root;

    @Override
    public Integer call() throws InterruptedException {
      DlqServer.Running running = DlqServer.start(root.rawConfig(), System.getenv());
      running.runner().installShutdownHook();
      running.runner().awaitShutdown();
      return 0;
    }
  }

  static String abbreviate(String s, int max) {
    if (s == null) {
      return "";
    }
    String one = s.replace('\n', ' ');
    return one.length() <= max ? one : one.substring(0, max - 1) + "…";
  }
}
