package dev.agentyard.schemas.topics;

import dev.agentyard.avro.AgentResult;
import dev.agentyard.avro.BudgetAlert;
import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetReply;
import dev.agentyard.avro.BudgetRequest;
import dev.agentyard.avro.ClassifierModel;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.DlqAuditEvent;
import dev.agentyard.avro.DlqDisposition;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.avro.ReviewItem;
import dev.agentyard.avro.RouteCostWindow;
import dev.agentyard.avro.RouteLabel;
import dev.agentyard.avro.RoutedTask;
import dev.agentyard.avro.RunJournalEntry;
import dev.agentyard.avro.TaskSubmitted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topic catalogue: every topic Agentyard reads or writes, by name, encoding and settings. The
 * single source of truth for topic names; services never spell a topic name themselves.
 */
public final class Topics {

  private static final String DELETE = TopicConfig.CLEANUP_POLICY_DELETE;
  private static final Pattern ROUTE_NAME = Pattern.compile("[a-z][a-z0-9-]{0,47}");

  /** Routes of the loan-domain default configuration. */
  public static final List<String> DEFAULT_ROUTES =
      List.of("income", "banking", "identity", "property", "fraud", "triage");

  /** Delays of the non-blocking retry topics behind each route topic. */
  public static final List<Duration> DEFAULT_RETRY_DELAYS =
      List.of(Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofMinutes(10));

  public static final TopicSpec TASKS =
      TopicSpec.avro(
          "agent.tasks.v1",
          TaskSubmitted.class,
          6,
          DELETE,
          Duration.ofDays(7),
          "Tasks submitted by upstream systems, one document each; keyed by task id.");
  public static final TopicSpec REVIEW =
      TopicSpec.avro(
          "agent.review.v1",
          ReviewItem.class,
          3,
          DELETE,
          Duration.ofDays(30),
          "Tasks waiting for a human decision; keyed by task id.");
  public static final TopicSpec RESULTS =
      TopicSpec.avro(
          "agent.results.v1",
          AgentResult.class,
          6,
          DELETE,
          Duration.ofDays(30),
          "Completed agent results; keyed by task id.");
  public static final TopicSpec USAGE =
      TopicSpec.avro(
          "agent.usage.v1",
          ModelUsage.class,
          6,
          DELETE,
          Duration.ofDays(35),
          "One event per model call attempt, with tokens and cost; keyed by task id. Kept past a month so a price correction can be recomputed.");
  public static final TopicSpec COST_1M = costWindows(Duration.ofMinutes(1), Duration.ofDays(7));
  public static final TopicSpec COST_1H = costWindows(Duration.ofHours(1), Duration.ofDays(90));
  public static final TopicSpec COST_1D = costWindows(Duration.ofDays(1), Duration.ofDays(400));
  public static final TopicSpec BUDGET_ALERTS =
      TopicSpec.avro(
          "agent.budget.alerts.v1",
          BudgetAlert.class,
          1,
          DELETE,
          Duration.ofDays(90),
          "Budget thresholds crossed; keyed by scope key.");
  public static final TopicSpec BUDGET_DEFINITIONS =
      TopicSpec.avro(
          "agent.budget.definitions.v1",
          BudgetDefinition.class,
          1,
          TopicConfig.CLEANUP_POLICY_COMPACT,
          Duration.ofDays(400),
          "Budgets the ledger enforces before calls are sent; compacted, keyed by budget id, a tombstone deletes one."
              + " One partition: tiny and totally ordered.");
  public static final TopicSpec BUDGET_REQUESTS =
      TopicSpec.avro(
          "agent.budget.requests.v1",
          BudgetRequest.class,
          6,
          DELETE,
          Duration.ofDays(1),
          "Reservations, releases and leases asked of the budget ledger; keyed by budget id, so one ledger task is the"
              + " one writer of each budget.");
  public static final TopicSpec BUDGET_REPLIES =
      TopicSpec.avro(
          "agent.budget.replies.v1",
          BudgetReply.class,
          6,
          DELETE,
          Duration.ofDays(1),
          "The budget ledger's answers; keyed by the worker instance that asked.");
  public static final TopicSpec CONTROL =
      TopicSpec.avro(
          "agent.control.v1",
          ControlCommand.class,
          1,
          TopicConfig.CLEANUP_POLICY_COMPACT,
          Duration.ofDays(7),
          "Kill switches and route pauses; compacted, keyed by '<scope>:<target>', latest wins. One partition: tiny and totally ordered.");
  public static final TopicSpec DLQ_AUDIT =
      TopicSpec.avro(
          "agent.dlq.audit.v1",
          DlqAuditEvent.class,
          1,
          DELETE,
          Duration.ofDays(400),
          "Every operator action on dead letters and review items; keyed by audit id.");
  public static final TopicSpec DLQ_DISPOSITIONS =
      TopicSpec.avro(
          "agent.dlq.dispositions.v1",
          DlqDisposition.class,
          3,
          TopicConfig.CLEANUP_POLICY_COMPACT,
          Duration.ofDays(400),
          "What was done with each dead letter (replayed, parked); compacted, keyed by '<dlq topic>/<partition>/<offset>', written in"
              + " the same transaction as the copy, so a replay is never repeated by accident and a crashed replay resumes.");

  public static final TopicSpec ROUTE_LABELS =
      TopicSpec.avro(
          "agent.router.labels.v1",
          RouteLabel.class,
          3,
          TopicConfig.CLEANUP_POLICY_COMPACT,
          Duration.ofDays(400),
          "Documents whose route the triage model or a reviewer decided, as labelled examples for the next classifier;"
              + " compacted, keyed by task id (a reviewer's decision replaces the triage model's). Digits are folded to 0.");
  public static final TopicSpec CLASSIFIER_MODELS =
      TopicSpec.avro(
          "agent.router.models.v1",
          ClassifierModel.class,
          1,
          TopicConfig.CLEANUP_POLICY_COMPACT,
          Duration.ofDays(400),
          "The router's classifier registry: 'model:<version>' for every model trained and the gate's decision on it,"
              + " 'current' for the model the routers run (promotion and rollback write it). One partition: tiny and ordered.");

  /** Topics every deployment has, whatever its routes. */
  public static final List<TopicSpec> CORE =
      List.of(
          TASKS,
          REVIEW,
          RESULTS,
          USAGE,
          COST_1M,
          COST_1H,
          COST_1D,
          BUDGET_ALERTS,
          BUDGET_DEFINITIONS,
          BUDGET_REQUESTS,
          BUDGET_REPLIES,
          CONTROL,
          DLQ_AUDIT,
          DLQ_DISPOSITIONS,
          ROUTE_LABELS,
          CLASSIFIER_MODELS);

  private Topics() {}

  /**
   * Final cost windows of one size: {@code agent.cost.route.<size>.v1}, keyed by route (route and
   * route+model windows) or tenant (tenant windows).
   */
  public static TopicSpec costWindows(Duration size, Duration retention) {
    return TopicSpec.avro(
        "agent.cost.route." + label(size) + ".v1",
        RouteCostWindow.class,
        3,
        DELETE,
        retention,
        "Final cost per route (and route+model, tenant) in "
            + label(size)
            + " windows; keyed by route, or tenant for tenant windows.");
  }

  /**
   * Cost windows re-aggregated with a corrected price table: {@code
   * agent.cost.route.<size>.v1.repriced-<version>}. The original topics are never touched.
   */
  public static TopicSpec costWindowsRepriced(
      Duration size, String priceTableVersion, Duration retention) {
    String version = priceTableVersion.replaceAll("[^A-Za-z0-9._-]", "-");
    return TopicSpec.avro(
        costWindows(size, retention).name() + ".repriced-" + version,
        RouteCostWindow.class,
        3,
        DELETE,
        retention,
        "Cost per route re-aggregated from raw usage with price table " + priceTableVersion + ".");
  }

  /** The topic a route's tasks go to: {@code agent.route.<route>.v1}. */
  public static TopicSpec route(String route) {
    if (!ROUTE_NAME.matcher(route).matches()) {
      throw new IllegalArgumentException(
          "Route name '" + route + "' must match " + ROUTE_NAME.pattern());
    }
    return TopicSpec.avro(
        "agent.route." + route + ".v1",
        RoutedTask.class,
        6,
        DELETE,
        Duration.ofDays(7),
        "Tasks routed to the " + route + " specialist; keyed by task id.");
  }

  /**
   * The run journal of a route: {@code agent.journal.<route>.v1}, compacted, as many partitions as
   * the route topic (a task's steps go to the partition its route record is in), keyed by {@code
   * <taskId>/<seq>}; a finished run's steps are tombstoned. Compact plus delete: a run nobody
   * resumes is forgotten after 7 days.
   */
  public static TopicSpec journal(String route) {
    TopicSpec source = route(route);
    return TopicSpec.avro(
        "agent.journal." + route + ".v1",
        RunJournalEntry.class,
        source.partitions(),
        TopicConfig.CLEANUP_POLICY_COMPACT,
        Duration.ofDays(7),
        "Steps of the agent runs on route "
            + route
            + " (calls started and ended, tools executed), so a re-delivered task resumes instead of"
            + " paying again; compacted, keyed by '<task id>/<seq>', tombstoned when the run ends.");
  }

  /** The dead-letter topic of a source topic: {@code <topic>.dlq}, same partitions, raw bytes. */
  public static TopicSpec deadLetter(TopicSpec source) {
    return TopicSpec.rawBytes(
        source.name() + ".dlq",
        source.partitions(),
        Duration.ofDays(30),
        "Dead letters of "
            + source.name()
            + ": original key, value and headers, plus the reason in headers.");
  }

  /**
   * Where an operator parks dead letters that must not be replayed: {@code <dead-letter
   * topic>.parked}, raw bytes (the dead letter as it was, plus the parking reason in headers), kept
   * a year.
   */
  public static TopicSpec parked(TopicSpec deadLetter) {
    return TopicSpec.rawBytes(
        parkedTopicOf(deadLetter.name()),
        deadLetter.partitions(),
        Duration.ofDays(365),
        "Dead letters of "
            + deadLetter.name()
            + " parked by an operator (not to be replayed), with the reason in headers.");
  }

  /** The parking topic of a dead-letter topic: {@code <dead-letter topic>.parked}. */
  public static String parkedTopicOf(String deadLetterTopic) {
    if (!isDeadLetter(deadLetterTopic)) {
      throw new IllegalArgumentException(deadLetterTopic + " is not a dead-letter topic");
    }
    return deadLetterTopic + ".parked";
  }

  /** A delay topic for non-blocking retries: {@code <topic>.retry.<delay>}, raw bytes. */
  public static TopicSpec retry(TopicSpec source, Duration delay) {
    return TopicSpec.rawBytes(
        source.name() + ".retry." + label(delay),
        source.partitions(),
        Duration.ofDays(7),
        "Records of " + source.name() + " waiting " + label(delay) + " before their next attempt.");
  }

  /** Whether a topic name is a dead-letter topic. */
  public static boolean isDeadLetter(String topic) {
    return topic.endsWith(".dlq");
  }

  /**
   * {@code 5s}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}: the suffix of retry and cost
   * topics.
   */
  public static String label(Duration d) {
    long s = d.toSeconds();
    if (s <= 0 || d.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException("Retry delays are whole seconds, got " + d);
    }
    if (s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }

  /**
   * The whole catalogue for the given routes: core topics, route topics, their retries and dead
   * letters.
   */
  public static List<TopicSpec> catalogue(List<String> routes) {
    return catalogue(routes, DEFAULT_RETRY_DELAYS);
  }

  /** The catalogue for workers configured with other retry delays ({@code worker.retry.delays}). */
  public static List<TopicSpec> catalogue(List<String> routes, List<Duration> retryDelays) {
    List<TopicSpec> all = new ArrayList<>(CORE);
    addDeadLetter(all, TASKS);
    addDeadLetter(all, USAGE);
    for (String r : routes) {
      TopicSpec route = route(r);
      all.add(route);
      all.add(journal(r));
      retryDelays.forEach(d -> all.add(retry(route, d)));
      addDeadLetter(all, route);
    }
    return List.copyOf(all);
  }

  private static void addDeadLetter(List<TopicSpec> all, TopicSpec source) {
    TopicSpec dlq = deadLetter(source);
    all.add(dlq);
    all.add(parked(dlq));
  }
}
