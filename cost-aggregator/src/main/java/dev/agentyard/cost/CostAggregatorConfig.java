package dev.agentyard.cost;

import dev.agentyard.avro.BudgetScope;
import dev.agentyard.runtime.config.ConfigFiles;
import dev.agentyard.runtime.config.ConfigLoader;
import dev.agentyard.runtime.config.ConfigValues;
import dev.agentyard.runtime.config.InvalidConfigException;
import dev.agentyard.runtime.kafka.KafkaSettings;
import dev.agentyard.runtime.pricing.PriceTable;
import dev.agentyard.schemas.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cost aggregator's configuration, immutable and validated when built.
 *
 * @param applicationId Kafka Streams application id ({@code cost.application.id})
 * @param windows tumbling window sizes ({@code cost.windows}, e.g. {@code 1m,1h,1d})
 * @param grace how late an event may arrive and still count in its window ({@code cost.grace})
 * @param idleClose when no event advances stream time, windows also close this long after end +
 *     grace by the wall clock ({@code cost.idle-close-after}) — the idle-partition fix
 * @param dedupRetention how long an attempt id is remembered ({@code cost.dedup.retention})
 * @param knownRoutes routes usage may name; empty accepts any ({@code cost.routes})
 * @param budgets per-route and per-tenant budgets ({@code
 *     budget.<route|tenant>.<key>.<daily|monthly>})
 * @param warningPercent share of a budget at which a warning alert is raised ({@code
 *     budget.warning.percent})
 * @param pauseOnExceed whether an exceeded route/tenant budget pauses it through agent.control.v1
 *     ({@code budget.pause-on-exceed})
 * @param punctuateInterval how often the wall-clock check for closable windows runs ({@code
 *     cost.punctuate.interval})
 * @param preAggregateInterval how long usage is summed per dimension key and minute before the sums
 *     go to the aggregation ({@code cost.pre-aggregate.interval}; zero forwards every event on its
 *     own)
 * @param httpHost ops and query HTTP bind address ({@code http.host})
 * @param httpPort ops and query HTTP port ({@code http.port}; 0 picks one)
 * @param advertisedHost host other instances use to reach this one's query API ({@code
 *     http.advertised.host})
 * @param ledger the budget ledger this service also runs ({@code ledger.*}); never in a re-pricing
 *     run
 * @param repricing when set ({@code cost.reprice.table}), the application re-aggregates all
 *     retained raw usage with this price table into {@code .repriced-<version>} topics, under its
 *     own application id, and raises no alerts
 * @param kafka how to reach Kafka and the registry
 */
public record CostAggregatorConfig(
    String applicationId,
    List<Duration> windows,
    Duration grace,
    Duration idleClose,
    Duration dedupRetention,
    Set<String> knownRoutes,
    List<Budget> budgets,
    int warningPercent,
    boolean pauseOnExceed,
    Duration punctuateInterval,
    Duration preAggregateInterval,
    String httpHost,
    int httpPort,
    String advertisedHost,
    Optional<PriceTable> repricing,
    Ledger ledger,
    KafkaSettings kafka) {

  /**
   * The budget ledger's settings (ADR 0023).
   *
   * @param enabled whether this service runs the ledger ({@code ledger.enabled})
   * @param applicationId its Kafka Streams application id ({@code ledger.application.id})
   * @param commitInterval its commit interval: a reply is visible to the worker when committed
   *     ({@code ledger.commit-interval})
   * @param expiryCheck how often expired holds and leases are dropped ({@code ledger.expiry-check})
   * @param dedupRetention how long the ledger's charges remember a usage event's attempt id, so one
   *     delivered again (a worker re-writing it after a crash) is charged once ({@code
   *     ledger.dedup-retention})
   * @param streamThreads the ledger's stream threads: each commits its own transaction, so requests
   *     of one thread's budgets do not wait behind the other's commit ({@code
   *     ledger.stream-threads})
   */
  public record Ledger(
      boolean enabled,
      String applicationId,
      Duration commitInterval,
      Duration expiryCheck,
      Duration dedupRetention,
      int streamThreads) {}

  public static final String SERVICE = "cost-aggregator";

  /**
   * The live aggregation's application id in the defaults; a re-pricing run never runs under it.
   */
  static final String LIVE_APPLICATION_ID = "agentyard-cost-aggregator";

  /**
   * The bundled defaults ({@code agentyard-cost-defaults.properties}): the only place a default
   * lives.
   */
  public static Map<String, String> defaults() {
    return ConfigLoader.defaults(CostAggregatorConfig.class, "/agentyard-cost-defaults.properties");
  }

  /**
   * The effective configuration of the defaults overlaid with {@code settings} (as a config file
   * would hold them).
   */
  public static Map<String, String> effective(Map<String, String> settings) {
    return ConfigLoader.overlay(defaults(), settings);
  }

  /** The config of the defaults overlaid with {@code settings} (tests and tools). */
  public static CostAggregatorConfig withDefaults(Map<String, String> settings) {
    return fromMap(effective(settings), ConfigFiles.disk());
  }

  /** The topic final windows of a size go to: the live one, or the re-priced one. */
  public String windowTopic(Duration size) {
    return repricing
        .map(t -> Topics.costWindowsRepriced(size, t.version(), Duration.ZERO).name())
        .orElseGet(() -> Topics.costWindows(size, Duration.ZERO).name());
  }

  public CostAggregatorConfig {
    windows = List.copyOf(windows);
    knownRoutes = Set.copyOf(knownRoutes);
    budgets = List.copyOf(budgets);
  }

  /**
   * Builds the config from the effective map (defaults included, see {@link ConfigLoader}); reads
   * the re-pricing table.
   */
  public static CostAggregatorConfig fromMap(Map<String, String> map, ConfigFiles files) {
    ConfigValues c = new ConfigValues(map);
    List<Duration> windows = new ArrayList<>();
    for (Duration d : c.durations("cost.windows")) {
      try {
        Topics.label(d);
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(
            "cost.windows", "window sizes are whole seconds, got " + d);
      }
      if (d.isZero()
          || Duration.ofDays(1).toMillis() % d.toMillis() != 0
              && d.toMillis() % Duration.ofDays(1).toMillis() != 0) {
        throw new InvalidConfigException(
            "cost.windows", "window " + d + " must divide a day evenly (or be whole days)");
      }
      windows.add(d);
    }
    if (windows.isEmpty()) {
      throw new InvalidConfigException("cost.windows", "needs at least one window size");
    }
    int warning = c.intValue("budget.warning.percent", 1, 99);
    Optional<PriceTable> repricing =
        c.optional("cost.reprice.table")
            .map(path -> PriceTable.load("cost.reprice.table", Path.of(path), files));
    String appId = c.required("cost.application.id");
    if (repricing.isPresent() && appId.equals(LIVE_APPLICATION_ID)) {
      // a re-pricing run left at the live id gets one of its own, named after the price table
      appId =
          LIVE_APPLICATION_ID
              + "-reprice-"
              + repricing.get().version().replaceAll("[^A-Za-z0-9._-]", "-");
    }
    return new CostAggregatorConfig(
        appId,
        windows,
        c.duration("cost.grace"),
        c.duration("cost.idle-close-after"),
        c.duration("cost.dedup.retention"),
        Set.copyOf(c.list("cost.routes", List.of())),
        budgets(c),
        warning,
        c.bool("budget.pause-on-exceed"),
        c.duration("cost.punctuate.interval"),
        c.duration("cost.pre-aggregate.interval"),
        c.required("http.host"),
        c.intValue("http.port", 0, 65535),
        c.string("http.advertised.host", c.required("http.host")),
        repricing,
        new Ledger(
            c.bool("ledger.enabled") && repricing.isEmpty(),
            c.required("ledger.application.id"),
            c.duration("ledger.commit-interval"),
            c.duration("ledger.expiry-check"),
            c.duration("ledger.dedup-retention"),
            c.intValue("ledger.stream-threads", 1, 64)),
        KafkaSettings.fromConfig(c));
  }

  /**
   * {@code budget.route.income.daily=50000000}, {@code budget.tenant.acme-bank.monthly=900000000}.
   */
  static List<Budget> budgets(ConfigValues c) {
    List<Budget> out = new ArrayList<>();
    c.withPrefix("budget.")
        .forEach(
            (k, v) -> {
              int first = k.indexOf('.');
              int last = k.lastIndexOf('.');
              String scope = first < 0 ? k : k.substring(0, first);
              if (!scope.equals("route") && !scope.equals("tenant")) {
                return; // budget.warning.percent and friends
              }
              String key = "budget." + k;
              if (first == last) {
                throw new InvalidConfigException(
                    key, "expected budget." + scope + ".<name>.<daily|monthly>");
              }
              String name = k.substring(first + 1, last);
              Budget.Period period =
                  switch (k.substring(last + 1).toLowerCase(Locale.ROOT)) {
                    case "daily" -> Budget.Period.DAY;
                    case "monthly" -> Budget.Period.MONTH;
                    default ->
                        throw new InvalidConfigException(key, "period must be daily or monthly");
                  };
              long limit = c.longValue(key, 0, 1, Long.MAX_VALUE);
              out.add(
                  new Budget(
                      scope.equals("route") ? BudgetScope.ROUTE : BudgetScope.TENANT,
                      name,
                      period,
                      limit));
            });
    return out;
  }
}
