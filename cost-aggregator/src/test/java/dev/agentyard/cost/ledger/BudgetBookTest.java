package dev.agentyard.cost.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.avro.BudgetAtLimit;
import dev.agentyard.avro.BudgetDefinition;
import dev.agentyard.avro.BudgetLedgerState;
import dev.agentyard.avro.BudgetMode;
import dev.agentyard.avro.BudgetOp;
import dev.agentyard.avro.BudgetPeriod;
import dev.agentyard.avro.BudgetRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BudgetBookTest {

  static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
  static final String ID = "tenant:acme|day";

  static BudgetDefinition budget(long limit, BudgetMode mode) {
    return BudgetDefinition.newBuilder()
        .setBudgetId(ID)
        .setTenant("acme")
        .setPeriod(BudgetPeriod.DAY)
        .setLimitMicroUsd(limit)
        .setMode(mode)
        .setAtLimit(BudgetAtLimit.REVIEW)
        .setUpdatedBy("test")
        .setUpdatedAt(T0)
        .build();
  }

  static BudgetRequest req(BudgetOp op, String hold, long amount, long used, List<String> leases) {
    return BudgetRequest.newBuilder()
        .setRequestId(op + "-" + hold + "-" + amount)
        .setBudgetId(ID)
        .setOp(op)
        .setHoldId(hold)
        .setInstance("w1")
        .setAmountMicroUsd(amount)
        .setUsedMicroUsd(used)
        .setTtlMs(60_000)
        .setLeases(leases)
        .setSentAt(T0)
        .build();
  }

  @Test
  void aReservationIsGrantedOnlyFromWhatIsUnheldAndItsUsageEventSettlesIt() {
    BudgetDefinition d = budget(1_000, BudgetMode.HARD);
    BudgetBook.Outcome a =
        BudgetBook.apply(d, null, req(BudgetOp.RESERVE, "a1", 600, 0, List.of()), T0);
    assertThat(a.reply().getGranted()).isTrue();
    BudgetBook.Outcome b =
        BudgetBook.apply(d, a.state(), req(BudgetOp.RESERVE, "a2", 500, 0, List.of()), T0);
    assertThat(b.reply().getGranted()).isFalse();
    assertThat(b.reply().getDetail()).contains("limit reached").contains("400");
    // the call cost 250 of its 600: settled, the rest is free again
    BudgetBook.Outcome c =
        BudgetBook.apply(d, b.state(), req(BudgetOp.CHARGE, "a1", 250, 0, List.of()), T0);
    assertThat(c.state().getSpentMicroUsd()).isEqualTo(250);
    assertThat(BudgetBook.held(c.state())).isZero();
    assertThat(
            BudgetBook.apply(d, c.state(), req(BudgetOp.RESERVE, "a2", 500, 0, List.of()), T0)
                .reply()
                .getGranted())
        .isTrue();
  }

  @Test
  void aReservationAskedAgainIsTheSameHoldAndAReleaseFreesIt() {
    BudgetDefinition d = budget(1_000, BudgetMode.HARD);
    BudgetLedgerState s =
        BudgetBook.apply(d, null, req(BudgetOp.RESERVE, "a1", 600, 0, List.of()), T0).state();
    BudgetBook.Outcome again =
        BudgetBook.apply(d, s, req(BudgetOp.RESERVE, "a1", 600, 0, List.of()), T0);
    assertThat(again.reply().getGranted()).isTrue();
    assertThat(BudgetBook.held(again.state())).isEqualTo(600);
    s =
        BudgetBook.apply(d, again.state(), req(BudgetOp.RELEASE, "a1", 0, 0, List.of()), T0)
            .state();
    assertThat(BudgetBook.held(s)).isZero();
  }

  @Test
  void aLeaseHoldsItsSizeUntilItsCallsAreChargedToItAndShrinksWhenReturned() {
    BudgetDefinition d = budget(1_000, BudgetMode.LEASE);
    BudgetBook.Outcome l =
        BudgetBook.apply(d, null, req(BudgetOp.LEASE, "L1", 400, 0, List.of()), T0);
    assertThat(l.reply().getGrantedMicroUsd()).isEqualTo(400);
    assertThat(l.reply().getRemainingMicroUsd()).isEqualTo(600);
    // a call of 150 under the lease: spent grows, the lease holds less, the total stays
    BudgetLedgerState s =
        BudgetBook.apply(d, l.state(), req(BudgetOp.CHARGE, "c1", 150, 0, List.of("L1")), T0)
            .state();
    assertThat(s.getSpentMicroUsd()).isEqualTo(150);
    assertThat(BudgetBook.committed(s)).isEqualTo(400);
    // a second instance may only lease what is left
    BudgetBook.Outcome l2 =
        BudgetBook.apply(d, s, req(BudgetOp.LEASE, "L2", 800, 0, List.of()), T0);
    assertThat(l2.reply().getGrantedMicroUsd()).isEqualTo(600);
    assertThat(BudgetBook.committed(l2.state())).isEqualTo(1_000);
    // L1 returned at shutdown: 150 used, 50 still in flight: it keeps 200, frees 200
    BudgetBook.Outcome r =
        BudgetBook.apply(d, l2.state(), req(BudgetOp.RETURN, "L1", 50, 150, List.of()), T0);
    assertThat(r.reply().getLeaseMicroUsd()).isEqualTo(200);
    assertThat(BudgetBook.committed(r.state())).isEqualTo(800);
  }

  @Test
  void holdsAndLeasesExpireAndANewPeriodStartsSpentAtZero() {
    BudgetDefinition d = budget(1_000, BudgetMode.HARD);
    BudgetLedgerState s =
        BudgetBook.apply(d, null, req(BudgetOp.RESERVE, "a1", 600, 0, List.of()), T0).state();
    s = BudgetBook.apply(d, s, req(BudgetOp.CHARGE, "a0", 300, 0, List.of()), T0).state();
    assertThat(BudgetBook.expire(s, T0.plusSeconds(59))).isEmpty();
    assertThat(BudgetBook.expire(s, T0.plusSeconds(61))).containsExactly("a1");
    BudgetBook.Outcome tomorrow =
        BudgetBook.apply(
            d, s, req(BudgetOp.RESERVE, "a2", 1_000, 0, List.of()), T0.plusSeconds(86_400));
    assertThat(tomorrow.reply().getGranted()).isTrue();
    assertThat(tomorrow.state().getSpentMicroUsd()).isZero();
  }

  @Test
  void anUndefinedBudgetLimitsNothing() {
    BudgetBook.Outcome o =
        BudgetBook.apply(null, null, req(BudgetOp.RESERVE, "a1", 5_000_000, 0, List.of()), T0);
    assertThat(o.reply().getGranted()).isTrue();
    assertThat(o.state()).isNull();
  }

  /**
   * Thousands of interleaved reservations, leases, charges (each at most its reservation, as the
   * worst case guarantees), releases and returns: spent plus held never passes the limit.
   */
  @Test
  void spentPlusHeldNeverPassesTheLimitWhateverTheInterleaving() {
    Random random = new Random(26);
    for (BudgetMode mode : new BudgetMode[] {BudgetMode.HARD, BudgetMode.LEASE}) {
      BudgetDefinition d = budget(100_000, mode);
      BudgetLedgerState s = null;
      Map<String, Long> reserved = new HashMap<>();
      Map<String, long[]> leases = new HashMap<>(); // granted, used, inFlight
      List<String> leaseIds = new ArrayList<>(List.of("L1", "L2", "L3"));
      int n = 0;
      for (int i = 0; i < 20_000; i++) {
        int op = random.nextInt(4);
        long amount = 1 + random.nextInt(9_000);
        BudgetRequest r;
        if (mode == BudgetMode.HARD) {
          if (op <= 1 || reserved.isEmpty()) {
            r = req(BudgetOp.RESERVE, "a" + n++, amount, 0, List.of());
          } else {
            String hold = reserved.keySet().iterator().next();
            long max = reserved.remove(hold);
            r =
                op == 2
                    ? req(BudgetOp.CHARGE, hold, random.nextLong(max + 1), 0, List.of())
                    : req(BudgetOp.RELEASE, hold, 0, 0, List.of());
          }
        } else {
          String lease = leaseIds.get(random.nextInt(leaseIds.size()));
          long[] l = leases.computeIfAbsent(lease, k -> new long[3]);
          if (op == 0) {
            r = req(BudgetOp.LEASE, lease, amount, 0, List.of());
          } else if (l[0] - l[1] >= amount) {
            // a call under the lease costs at most what the lease had left
            long cost = random.nextLong(amount + 1);
            l[1] += cost;
            r = req(BudgetOp.CHARGE, "c" + n++, cost, 0, List.of(lease));
          } else {
            r = req(BudgetOp.LEASE, lease, 0, 0, List.of());
          }
        }
        BudgetBook.Outcome o = BudgetBook.apply(d, s, r, T0);
        s = o.state();
        if (r.getOp() == BudgetOp.RESERVE && o.reply().getGranted()) {
          reserved.put(r.getHoldId(), r.getAmountMicroUsd());
        }
        if (r.getOp() == BudgetOp.LEASE) {
          leases.get(r.getHoldId())[0] += o.reply().getGrantedMicroUsd();
        }
        assertThat(BudgetBook.committed(s)).as("%s after %s", mode, r).isLessThanOrEqualTo(100_000);
      }
      assertThat(s.getSpentMicroUsd()).as("%s spent something", mode).isPositive();
    }
  }
}
