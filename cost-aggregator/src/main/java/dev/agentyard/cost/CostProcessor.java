package dev.agentyard.cost;

import dev.agentyard.avro.AlertLevel;
import dev.agentyard.avro.BudgetAlert;
import dev.agentyard.avro.BudgetScope;
import dev.agentyard.avro.ControlAction;
import dev.agentyard.avro.ControlCommand;
import dev.agentyard.avro.ControlScope;
import dev.agentyard.avro.CostDimension;
import dev.agentyard.avro.RouteCostWindow;
import dev.agentyard.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Aggregates de-duplicated usage for one dimension (route, route+model or tenant; records arrive
 * keyed by that dimension's key, each a partial sum of the calls of one minute, see {@link
 * PartialSums}) into tumbling windows, day and month totals, and budgets.
 *
 * <p>Windows are emitted once, final, when they close: when stream time passes end + grace, or —
 * because stream time only moves with records, and an idle partition would otherwise hold its last
 * windows open forever — when the task has seen no record for idle-close and the wall clock passes
 * end + grace + idle-close. A window is deleted in the same transaction that emits it, and the
 * "closed up to" mark is stored, so an event for a closed window is counted as late (metric)
 * instead of re-opening it and emitting a second result.
 *
 * <p>Day and month totals serve the live queries and budgets. This processor is the only writer of
 * a key's spend, so a budget check and the increment it checks cannot race.
 */
final class CostProcessor implements Processor<String, CostTotals, String, CostOutput> {

  static final long CLEANUP_EVERY_MS = Duration.ofHours(1).toMillis();

  private final CostDimension dimension;
  private final CostAggregatorConfig config;
  private final CostStores.Names stores;
  private final CostMetrics metrics;
  private ProcessorContext<String, CostOutput> context;
  private KeyValueStore<String, CostTotals> windows;
  private KeyValueStore<String, CostTotals> periods;
  private KeyValueStore<String, Long> marks;
  private final Map<String, Long> closedUpTo = new HashMap<>();
  private long lastStreamCloseCheck = Long.MIN_VALUE;
  private long lastCleanup = Long.MIN_VALUE;

  /** Wall-clock time of the last record this task processed. */
  private long lastRecordWallClock;

  CostProcessor(CostDimension dimension, CostAggregatorConfig config, CostMetrics metrics) {
    this.dimension = dimension;
    this.config = config;
    this.stores = CostStores.names(dimension);
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, CostOutput> context) {
    this.context = context;
    this.windows = context.getStateStore(stores.windows());
    this.periods = context.getStateStore(stores.periods());
    this.marks = context.getStateStore(stores.marks());
    for (Duration w : config.windows()) {
      Long mark = marks.get(closedKey(w));
      if (mark != null) {
        closedUpTo.put(Topics.label(w), mark);
      }
    }
    lastRecordWallClock = context.currentSystemTimeMs();
    context.schedule(
        config.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, this::onWallClock);
  }

  @Override
  public void process(Record<String, CostTotals> record) {
    CostTotals u = record.value();
    String key = record.key();
    lastRecordWallClock = context.currentSystemTimeMs();
    long ts = record.timestamp();
    long streamTime = context.currentStreamTimeMs();
    long grace = config.grace().toMillis();

    for (Duration w : config.windows()) {
      long size = w.toMillis();
      long start = ts - Math.floorMod(ts, size);
      String label = Topics.label(w);
      Long closed = closedUpTo.get(label);
      if (start + size + grace <= streamTime || closed != null && start <= closed) {
        metrics
            .late(dimension.name().toLowerCase(Locale.ROOT), label)
            .increment(u.attempts() + u.unconfirmedCalls());
        continue;
      }
      String wk = windowKey(label, start, key);
      CostTotals current = windows.get(wk);
      windows.put(wk, current == null ? u : current.plus(u));
    }

    Instant at = Instant.ofEpochMilli(ts);
    for (Budget.Period p : Budget.Period.values()) {
      String pk = periodKey(p, p.label(at), key);
      CostTotals current = periods.get(pk);
      CostTotals updated = current == null ? u : current.plus(u);
      periods.put(pk, updated);
      // what may have been billed counts against a budget too: a budget errs towards stopping
      checkBudgets(key, p, at, updated.costMicroUsd() + updated.unconfirmedMicroUsd());
    }

    if (streamTime >= lastStreamCloseCheck + 1000) {
      lastStreamCloseCheck = streamTime;
      closeWindows(streamTime);
    }
  }

  private void onWallClock(long wallClock) {
    long streamTime = context.currentStreamTimeMs();
    // Only an idle task closes by the wall clock. A task working through a backlog (after an
    // outage)
    // keeps closing by stream time, so its backlog is not declared late.
    boolean idle = wallClock - lastRecordWallClock >= config.idleClose().toMillis();
    closeWindows(
        idle ? Math.max(streamTime, wallClock - config.idleClose().toMillis()) : streamTime);
    if (wallClock >= lastCleanup + CLEANUP_EVERY_MS) {
      lastCleanup = wallClock;
      cleanup(Instant.ofEpochMilli(wallClock));
    }
  }

  /** Emits and deletes every window that ends (plus grace) at or before closeTime. */
  private void closeWindows(long closeTime) {
    long grace = config.grace().toMillis();
    for (Duration w : config.windows()) {
      long size = w.toMillis();
      long boundary = closeTime - size - grace; // windows starting at or before this are closed
      if (boundary < 0) {
        continue;
      }
      long lastStart = boundary - Math.floorMod(boundary, size);
      String label = Topics.label(w);
      Long closed = closedUpTo.get(label);
      if (closed != null && closed >= lastStart) {
        continue;
      }
      List<KeyValue<String, CostTotals>> due = new ArrayList<>();
      try (KeyValueIterator<String, CostTotals> it =
          windows.range(
              CostStores.WindowKey.prefix(label),
              CostStores.WindowKey.prefix(label) + pad(lastStart) + "|\uffff")) {
        it.forEachRemaining(due::add);
      }
      for (KeyValue<String, CostTotals> kv : due) {
        emitWindow(w, kv.key, kv.value);
        windows.delete(kv.key);
      }
      closedUpTo.put(label, lastStart);
      marks.put(closedKey(w), lastStart);
    }
  }

  private void emitWindow(Duration w, String windowKey, CostTotals t) {
    CostStores.WindowKey parsed = CostStores.WindowKey.parse(windowKey);
    long start = parsed.start();
    String dimKey = parsed.dimKey();
    RouteCostWindow.Builder b =
        RouteCostWindow.newBuilder()
            .setDimension(dimension)
            .setWindowStart(Instant.ofEpochMilli(start))
            .setWindowEnd(Instant.ofEpochMilli(start + w.toMillis()))
            .setRequests(t.requests())
            .setAttempts(t.attempts())
            .setFailures(t.failures())
            .setFallbacks(t.fallbacks())
            .setInputTokens(t.inputTokens())
            .setOutputTokens(t.outputTokens())
            .setCacheReadTokens(t.cacheReadTokens())
            .setCacheWriteTokens(t.cacheWriteTokens())
            .setCacheWrite1hTokens(t.cacheWrite1hTokens())
            .setCostMicroUsd(t.costMicroUsd())
            .setUnconfirmedCalls(t.unconfirmedCalls())
            .setUnconfirmedMicroUsd(t.unconfirmedMicroUsd())
            .setPriceTableVersion(t.priceTableVersion())
            .setEmittedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()));
    String outKey;
    switch (dimension) {
      case ROUTE -> {
        b.setRoute(dimKey);
        outKey = dimKey;
      }
      case ROUTE_MODEL -> {
        String[] rm = CostStores.routeAndModel(dimKey);
        b.setRoute(rm[0]).setModel(rm[1]);
        outKey = rm[0];
      }
      default -> {
        b.setTenant(dimKey);
        outKey = dimKey;
      }
    }
    metrics.windowsEmitted(Topics.label(w)).increment();
    context.forward(
        new Record<>(outKey, new CostOutput.Window(w, b.build()), start + w.toMillis() - 1));
  }

  private void checkBudgets(String key, Budget.Period period, Instant at, long spent) {
    BudgetScope scope =
        switch (dimension) {
          case ROUTE -> BudgetScope.ROUTE;
          case TENANT -> BudgetScope.TENANT;
          default -> null;
        };
    if (scope == null) {
      return;
    }
    for (Budget b : config.budgets()) {
      if (b.scope() != scope || b.period() != period || !b.key().equals(key)) {
        continue;
      }
      String periodLabel = period.label(at);
      String markKey = "alert|" + period + "|" + periodLabel + "|" + scope + "|" + key;
      Long reached = marks.get(markKey);
      long level = reached == null ? 0 : reached;
      // percentage without overflow or floating point
      long percent = spent >= b.limitMicroUsd() ? 100 : (long) (spent * 100.0 / b.limitMicroUsd());
      for (int threshold : new int[] {config.warningPercent(), 100}) {
        if (percent >= threshold && level < threshold) {
          raise(b, at, spent, threshold);
          level = threshold;
          marks.put(markKey, level);
        }
      }
    }
  }

  private void raise(Budget b, Instant at, long spent, int threshold) {
    boolean exceeded = threshold >= 100;
    boolean pause = exceeded && config.pauseOnExceed();
    Instant periodStart = b.period().start(at);
    String alertId =
        b.scope() + ":" + b.key() + ":" + b.period() + ":" + b.period().label(at) + ":" + threshold;
    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
    BudgetAlert alert =
        BudgetAlert.newBuilder()
            .setAlertId(alertId)
            .setScope(b.scope())
            .setScopeKey(b.key())
            .setPeriod(b.period().name())
            .setPeriodStart(periodStart)
            .setBudgetMicroUsd(b.limitMicroUsd())
            .setSpentMicroUsd(spent)
            .setThresholdPercent(threshold)
            .setLevel(exceeded ? AlertLevel.EXCEEDED : AlertLevel.WARNING)
            .setKillSwitchTripped(pause)
            .setRaisedAt(now)
            .build();
    metrics.alerts(alert.getLevel().name().toLowerCase(Locale.ROOT)).increment();
    long ts = context.currentSystemTimeMs();
    context.forward(new Record<>(b.key(), new CostOutput.Alert(alert), ts));
    if (pause) {
      ControlScope scope =
          b.scope() == BudgetScope.ROUTE ? ControlScope.ROUTE : ControlScope.TENANT;
      ControlCommand cmd =
          ControlCommand.newBuilder()
              .setCommandId("budget:" + alertId)
              .setScope(scope)
              .setTarget(b.key())
              .setAction(ControlAction.PAUSE)
              .setReason(
                  String.format(
                      "%s budget of %s '%s' exceeded: spent %d of %d micro-USD in %s",
                      b.period().name().toLowerCase(Locale.ROOT),
                      scope.name().toLowerCase(Locale.ROOT),
                      b.key(),
                      spent,
                      b.limitMicroUsd(),
                      b.period().label(at)))
              .setIssuedBy(CostAggregatorConfig.SERVICE)
              .setIssuedAt(now)
              .setExpiresAt(b.period().end(at))
              .build();
      context.forward(
          new Record<>(
              controlKey(scope, b.key()),
              new CostOutput.Control(controlKey(scope, b.key()), cmd),
              ts));
    }
  }

  /**
   * Drops day totals older than 40 days, month totals older than 13 months, and their alert marks.
   */
  private void cleanup(Instant now) {
    String dayCutoff = Budget.Period.DAY.label(now.minus(Duration.ofDays(40)));
    String monthCutoff =
        Budget.Period.MONTH.label(now.atOffset(ZoneOffset.UTC).minusMonths(13).toInstant());
    deleteRange(periods, "DAY|", "DAY|" + dayCutoff);
    deleteRange(periods, "MONTH|", "MONTH|" + monthCutoff);
    deleteRange(marks, "alert|DAY|", "alert|DAY|" + dayCutoff);
    deleteRange(marks, "alert|MONTH|", "alert|MONTH|" + monthCutoff);
  }

  private static <V> void deleteRange(KeyValueStore<String, V> store, String from, String to) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, V> it = store.range(from, to)) {
      it.forEachRemaining(kv -> keys.add(kv.key));
    }
    keys.forEach(store::delete);
  }

  static String controlKey(ControlScope scope, String target) {
    return scope.name().toLowerCase(Locale.ROOT) + ":" + target;
  }

  static String windowKey(String label, long start, String dimKey) {
    return new CostStores.WindowKey(label, start, dimKey).toString();
  }

  static String periodKey(Budget.Period p, String periodLabel, String dimKey) {
    return p.name() + "|" + periodLabel + "|" + dimKey;
  }

  private static String closedKey(Duration w) {
    return "closed|" + Topics.label(w);
  }

  static String pad(long millis) {
    return String.format("%015d", millis);
  }
}
