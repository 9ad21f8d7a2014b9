package dev.agentyard.runtime.budget;

import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of ledger budgets, shared by the ledger, the workers and the CLI: {@code tenant:<t>|day},
 * {@code route:<r>|month}, {@code tenant-route:<t>/<r>|day}. A budget's id is its key on {@code
 * agent.budget.definitions.v1} and {@code agent.budget.requests.v1}, so one ledger task owns it.
 */
public final class BudgetIds {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final Pattern ID =
      Pattern.compile(
          "(?:tenant:(?<t>[A-Za-z0-9._-]{1,100})|route:(?<r>[A-Za-z0-9._-]{1,100})"
              + "|tenant-route:(?<tt>[A-Za-z0-9._-]{1,100})/(?<rr>[A-Za-z0-9._-]{1,100}))"
              + "\\|(?<p>day|month)");

  private BudgetIds() {}

  /** The id of a budget on a tenant, a route or both (a null side means every one). */
  public static String of(String tenant, String route, BudgetPeriod period) {
    String p = label(period);
    if (tenant != null && route != null) {
      return "tenant-route:" + name(tenant) + "/" + name(route) + "|" + p;
    }
    if (tenant != null) {
      return "tenant:" + name(tenant) + "|" + p;
    }
    if (route != null) {
      return "route:" + name(route) + "|" + p;
    }
    throw new IllegalArgumentException("a budget applies to a tenant, a route or both");
  }

  /** The id a definition must have: derived from its tenant, route and period. */
  public static String of(BudgetDefinition d) {
    return of(d.getTenant(), d.getRoute(), d.getPeriod());
  }

  /** The parts of an id; throws IllegalArgumentException naming the expected forms. */
  public static Parsed parse(String id) {
    Matcher m = ID.matcher(id == null ? "" : id);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a budget id: expected tenant:<t>|day, route:<r>|month or tenant-route:<t>/<r>|day");
    }
    BudgetPeriod period = m.group("p").equals("day") ? BudgetPeriod.DAY : BudgetPeriod.MONTH;
    String tenant = m.group("t") != null ? m.group("t") : m.group("tt");
    String route = m.group("r") != null ? m.group("r") : m.group("rr");
    return new Parsed(tenant, route, period);
  }

  /** A parsed budget id; tenant or route is null when the budget covers every one. */
  public record Parsed(String tenant, String route, BudgetPeriod period) {}

  /**
   * Every id a call of this tenant on this route is charged to, if such a budget is defined: the
   * tenant's, the route's and the pair's, each per day and per month.
   */
  public static List<String> candidates(String tenant, String route) {
    List<String> out = new ArrayList<>(6);
    boolean t = tenant != null && NAME.matcher(tenant).matches();
    boolean r = route != null && NAME.matcher(route).matches();
    for (BudgetPeriod p : new BudgetPeriod[] {BudgetPeriod.DAY, BudgetPeriod.MONTH}) {
      if (t) {
        out.add(of(tenant, null, p));
      }
      if (r) {
        out.add(of(null, route, p));
      }
      if (t && r) {
        out.add(of(tenant, route, p));
      }
    }
    return out;
  }

  /** Start of the UTC period containing the instant. */
  public static Instant periodStart(BudgetPeriod period, Instant t) {
    LocalDate d = t.atOffset(ZoneOffset.UTC).toLocalDate();
    return switch (period) {
      case MONTH -> YearMonth.from(d).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      default -> d.atStartOfDay().toInstant(ZoneOffset.UTC);
    };
  }

  /** Start of the next UTC period. */
  public static Instant periodEnd(BudgetPeriod period, Instant t) {
    Instant s = periodStart(period, t);
    return switch (period) {
      case MONTH -> s.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
      default -> s.atOffset(ZoneOffset.UTC).plusDays(1).toInstant();
    };
  }

  private static String label(BudgetPeriod period) {
    if (period != BudgetPeriod.DAY && period != BudgetPeriod.MONTH) {
      throw new IllegalArgumentException("a budget's period is day or month, not " + period);
    }
    return period.name().toLowerCase(Locale.ROOT);
  }

  private static String name(String s) {
    if (!NAME.matcher(s).matches()) {
      throw new IllegalArgumentException(
          "tenant and route names in budgets are 1-100 of A-Z a-z 0-9 . _ -");
    }
    return s;
  }
}
