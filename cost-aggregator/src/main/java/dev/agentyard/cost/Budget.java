package dev.agentyard.cost;

import dev.agentyard.avro.BudgetScope;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * A spend limit for one route or tenant per UTC day or month, in micro-USD.
 *
 * @param scope ROUTE or TENANT
 * @param key the route or tenant
 * @param period DAY or MONTH
 * @param limitMicroUsd the budget
 */
public record Budget(BudgetScope scope, String key, Period period, long limitMicroUsd) {

  /** A UTC calendar period. */
  public enum Period {
    DAY,
    MONTH;

    /** Start of the period containing the instant (UTC). */
    public Instant start(Instant t) {
      LocalDate d = t.atOffset(ZoneOffset.UTC).toLocalDate();
      return switch (this) {
        case DAY -> d.atStartOfDay().toInstant(ZoneOffset.UTC);
        case MONTH -> YearMonth.from(d).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      };
    }

    /** Start of the next period (exclusive end of this one). */
    public Instant end(Instant t) {
      Instant s = start(t);
      return switch (this) {
        case DAY -> s.atOffset(ZoneOffset.UTC).plusDays(1).toInstant();
        case MONTH -> s.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
      };
    }

    /** 2026-11-21 for DAY, 2026-11 for MONTH. */
    public String label(Instant t) {
      LocalDate d = t.atOffset(ZoneOffset.UTC).toLocalDate();
      return this == DAY ? d.toString() : YearMonth.from(d).toString();
    }
  }

  public Budget {
    if (scope != BudgetScope.ROUTE && scope != BudgetScope.TENANT) {
      throw new IllegalArgumentException("budgets apply to a route or a tenant, not " + scope);
    }
    if (limitMicroUsd <= 0) {
      throw new IllegalArgumentException("budget of " + scope + " " + key + " must be positive");
    }
  }
}
