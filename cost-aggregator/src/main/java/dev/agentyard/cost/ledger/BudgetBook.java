package dev.agentyard.cost.ledger;

import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetHold;
import dev.agentyard.avro.BudgetLedgerState;
import dev.agentyard.avro.BudgetReply;
import dev.agentyard.avro.BudgetRequest;
import dev.agentyard.runtime.budget.BudgetIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger's arithmetic on one budget, a pure function of its definition, its state and one
 * request. The invariant it keeps: <b>spent + held ≤ limit</b> whenever it grants, where held is
 * every call reservation plus what every lease still holds (its size minus what was charged to it).
 * A reservation or a lease grows only from what is unheld; a usage event's cost is added to spent
 * whether or not a hold covered it (so spent is the same sum of usage events the cost aggregator
 * counts), and settles the hold it names.
 */
public final class BudgetBook {

  private BudgetBook() {}

  /** The new state (null: nothing to keep) and the reply to send (null: none is expected). */
  public record Outcome(BudgetLedgerState state, BudgetReply reply) {}

  /**
   * Applies one request at {@code now}.
   *
   * @param definition the budget, or null when it is not (or no longer) defined
   * @param state its state, or null when it has none yet
   */
  public static Outcome apply(
      BudgetDefinition definition, BudgetLedgerState state, BudgetRequest r, Instant now) {
    Outcome o = decide(definition, state, r, now);
    if (o.reply() != null && definition != null && o.state() != null) {
      o.reply().setLimitMicroUsd(definition.getLimitMicroUsd());
      o.reply().setSpentMicroUsd(o.state().getSpentMicroUsd());
    }
    return o;
  }

  private static Outcome decide(
      BudgetDefinition definition, BudgetLedgerState state, BudgetRequest r, Instant now) {
    if (definition == null) {
      return undefined(state, r, now);
    }
    BudgetLedgerState s = rollOver(definition, state, r.getBudgetId(), now);
    Map<String, BudgetHold> holds = s.getHolds();
    long limit = definition.getLimitMicroUsd();
    Instant expiresAt = now.plusMillis(Math.max(1, r.getTtlMs()));
    return switch (r.getOp()) {
      case RESERVE -> {
        BudgetHold existing = holds.get(r.getHoldId());
        long remaining = limit - committed(s);
        if (existing != null && !existing.getLease()) {
          yield new Outcome(
              s,
              reply(
                  r,
                  true,
                  existing.getAmountMicroUsd(),
                  0,
                  remaining,
                  existing.getExpiresAt(),
                  null));
        }
        if (r.getAmountMicroUsd() <= remaining) {
          holds.put(r.getHoldId(), hold(r.getInstance(), false, r.getAmountMicroUsd(), expiresAt));
          yield new Outcome(
              s,
              reply(
                  r,
                  true,
                  r.getAmountMicroUsd(),
                  0,
                  remaining - r.getAmountMicroUsd(),
                  expiresAt,
                  null));
        }
        yield new Outcome(
            s,
            reply(
                r,
                false,
                0,
                0,
                remaining,
                expiresAt,
                "limit reached: "
                    + Math.max(0, remaining)
                    + " µUSD unheld of "
                    + limit
                    + ", the call may cost up to "
                    + r.getAmountMicroUsd()));
      }
      case RELEASE -> {
        BudgetHold h = holds.get(r.getHoldId());
        if (h != null && !h.getLease()) {
          holds.remove(r.getHoldId());
        }
        yield new Outcome(s, null);
      }
      case LEASE -> {
        BudgetHold lease = holds.get(r.getHoldId());
        if (lease == null) {
          lease = hold(r.getInstance(), true, 0, expiresAt);
          holds.put(r.getHoldId(), lease);
        }
        long remaining = limit - committed(s);
        long grow = Math.max(0, Math.min(r.getAmountMicroUsd(), remaining));
        lease.setAmountMicroUsd(lease.getAmountMicroUsd() + grow);
        lease.setExpiresAt(expiresAt);
        boolean ok = grow > 0 || r.getAmountMicroUsd() == 0;
        yield new Outcome(
            s,
            reply(
                r,
                ok,
                grow,
                lease.getAmountMicroUsd(),
                remaining - grow,
                expiresAt,
                ok ? null : "limit reached: nothing unheld to lease"));
      }
      case RETURN -> {
        BudgetHold lease = holds.get(r.getHoldId());
        if (lease == null || !lease.getLease()) {
          yield new Outcome(s, reply(r, true, 0, 0, limit - committed(s), now, null));
        }
        long keep = Math.max(0, r.getUsedMicroUsd()) + Math.max(0, r.getAmountMicroUsd());
        lease.setAmountMicroUsd(Math.min(lease.getAmountMicroUsd(), keep));
        if (r.getAmountMicroUsd() <= 0 && lease.getChargedMicroUsd() >= lease.getAmountMicroUsd()) {
          holds.remove(r.getHoldId());
        }
        yield new Outcome(
            s,
            reply(
                r,
                true,
                0,
                lease.getAmountMicroUsd(),
                limit - committed(s),
                lease.getExpiresAt(),
                null));
      }
      case CHARGE -> {
        s.setSpentMicroUsd(s.getSpentMicroUsd() + r.getAmountMicroUsd());
        s.setCharges(s.getCharges() + 1);
        BudgetHold h = holds.get(r.getHoldId());
        if (h != null && !h.getLease()) {
          holds.remove(r.getHoldId());
        }
        for (String leaseId : r.getLeases()) {
          BudgetHold lease = holds.get(leaseId);
          if (lease != null && lease.getLease()) {
            lease.setChargedMicroUsd(lease.getChargedMicroUsd() + r.getAmountMicroUsd());
          }
        }
        yield new Outcome(s, null);
      }
      default ->
          new Outcome(s, reply(r, false, 0, 0, limit - committed(s), now, "unknown operation"));
    };
  }

  /** Drops holds and leases past their expiry; returns the ids dropped (the state is changed). */
  public static List<String> expire(BudgetLedgerState s, Instant now) {
    List<String> gone = new ArrayList<>();
    s.getHolds()
        .entrySet()
        .removeIf(
            e -> {
              if (e.getValue().getExpiresAt().isBefore(now)) {
                gone.add(e.getKey());
                return true;
              }
              return false;
            });
    return gone;
  }

  /** Spent plus every reservation plus what every lease still holds. */
  public static long committed(BudgetLedgerState s) {
    return s.getSpentMicroUsd() + held(s);
  }

  /** Every reservation plus what every lease still holds. */
  public static long held(BudgetLedgerState s) {
    long held = 0;
    for (BudgetHold h : s.getHolds().values()) {
      held +=
          h.getLease()
              ? Math.max(0, h.getAmountMicroUsd() - h.getChargedMicroUsd())
              : h.getAmountMicroUsd();
    }
    return held;
  }

  /**
   * The state in the period containing {@code now}: a new period starts spent at 0; reservations
   * carry over, and each lease keeps only what it still held.
   */
  static BudgetLedgerState rollOver(
      BudgetDefinition d, BudgetLedgerState state, String budgetId, Instant now) {
    Instant start = BudgetIds.periodStart(d.getPeriod(), now);
    if (state == null) {
      return BudgetLedgerState.newBuilder()
          .setBudgetId(budgetId)
          .setPeriodStart(start)
          .setSpentMicroUsd(0)
          .setHolds(new HashMap<>())
          .build();
    }
    // the generated record may hold an unmodifiable map after deserialization
    state.setHolds(new HashMap<>(state.getHolds()));
    if (state.getPeriodStart().isBefore(start)) {
      state.setPeriodStart(start);
      state.setSpentMicroUsd(0);
      state.setCharges(0);
      for (BudgetHold h : state.getHolds().values()) {
        if (h.getLease()) {
          h.setAmountMicroUsd(Math.max(0, h.getAmountMicroUsd() - h.getChargedMicroUsd()));
          h.setChargedMicroUsd(0);
        }
      }
    }
    return state;
  }

  /** A budget that is not defined limits nothing: reservations are granted and not kept. */
  private static Outcome undefined(BudgetLedgerState state, BudgetRequest r, Instant now) {
    return switch (r.getOp()) {
      case RESERVE, LEASE ->
          new Outcome(
              state,
              reply(
                  r,
                  true,
                  r.getAmountMicroUsd(),
                  r.getAmountMicroUsd(),
                  Long.MAX_VALUE,
                  now.plusMillis(Math.max(1, r.getTtlMs())),
                  "no such budget: not limited"));
      default -> new Outcome(state, null);
    };
  }

  private static BudgetHold hold(String instance, boolean lease, long amount, Instant expiresAt) {
    return BudgetHold.newBuilder()
        .setInstance(instance)
        .setLease(lease)
        .setAmountMicroUsd(amount)
        .setChargedMicroUsd(0)
        .setExpiresAt(expiresAt)
        .build();
  }

  private static BudgetReply reply(
      BudgetRequest r,
      boolean granted,
      long grantedAmount,
      long lease,
      long remaining,
      Instant expiresAt,
      String detail) {
    return BudgetReply.newBuilder()
        .setRequestId(r.getRequestId())
        .setBudgetId(r.getBudgetId())
        .setHoldId(r.getHoldId())
        .setInstance(r.getInstance())
        .setGranted(granted)
        .setGrantedMicroUsd(grantedAmount)
        .setLeaseMicroUsd(lease)
        .setRemainingMicroUsd(remaining)
        .setExpiresAt(expiresAt)
        .setDetail(detail)
        .build();
  }
}
