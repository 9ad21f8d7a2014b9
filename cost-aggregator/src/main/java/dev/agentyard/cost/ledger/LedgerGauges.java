package dev.agentyard.cost.ledger;

import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetHold;
import dev.agentyard.avro.BudgetLedgerState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The ledger's budgets as gauges, one set per budget this instance owns: {@code
 * agentyard_budget_limit_micro_usd}, {@code _spent_}, {@code _held_} (reservations plus what leases
 * still hold), {@code _remaining_}, {@code agentyard_budget_holds} and {@code
 * agentyard_budget_leases}; and {@code agentyard_budget_expired_total}. Budgets are few (they are
 * defined by operators), so the budget tag is bounded.
 */
public final class LedgerGauges {

  private static final int LIMIT = 0;
  private static final int SPENT = 1;
  private static final int HELD = 2;
  private static final int HOLDS = 3;
  private static final int LEASES = 4;

  private final MeterRegistry registry;
  private final Map<String, AtomicLongArray> byBudget = new ConcurrentHashMap<>();
  private final Counter expired;

  public LedgerGauges(MeterRegistry registry) {
    this.registry = registry;
    this.expired =
        Counter.builder("agentyard.budget.expired")
            .description("Holds and leases dropped at their expiry without a usage event")
            .register(registry);
  }

  void expired(int n) {
    expired.increment(n);
  }

  void update(BudgetDefinition d, BudgetLedgerState s) {
    AtomicLongArray v = byBudget.computeIfAbsent(s.getBudgetId(), this::register);
    v.set(LIMIT, d == null ? 0 : d.getLimitMicroUsd());
    v.set(SPENT, s.getSpentMicroUsd());
    v.set(HELD, BudgetBook.held(s));
    int leases = 0;
    for (BudgetHold h : s.getHolds().values()) {
      leases += h.getLease() ? 1 : 0;
    }
    v.set(HOLDS, s.getHolds().size() - leases);
    v.set(LEASES, leases);
  }

  private AtomicLongArray register(String budget) {
    AtomicLongArray v = new AtomicLongArray(5);
    Tags tags = Tags.of("budget", budget);
    gauge("agentyard.budget.limit.micro.usd", "The budget's limit", tags, v, LIMIT);
    gauge("agentyard.budget.spent.micro.usd", "Usage charged in the period", tags, v, SPENT);
    gauge(
        "agentyard.budget.held.micro.usd",
        "Reserved for calls in flight plus what leases still hold",
        tags,
        v,
        HELD);
    Gauge.builder(
            "agentyard.budget.remaining.micro.usd",
            v,
            a -> a.get(LIMIT) - a.get(SPENT) - a.get(HELD))
        .description("Limit minus spent minus held: what can still be reserved")
        .tags(tags)
        .register(registry);
    gauge("agentyard.budget.holds", "Call reservations in force", tags, v, HOLDS);
    gauge("agentyard.budget.leases", "Leases in force", tags, v, LEASES);
    return v;
  }

  private void gauge(String name, String help, Tags tags, AtomicLongArray v, int i) {
    Gauge.builder(name, v, a -> a.get(i)).description(help).tags(tags).register(registry);
  }
}
