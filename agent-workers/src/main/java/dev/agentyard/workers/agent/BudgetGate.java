package dev.agentyard.workers.agent;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reserve, then send (ADR 0023): the agent loop asks this before every model call whether the
 * call's worst case fits every budget its tenant and route fall under, and tells it when the call
 * ended. The budget ledger is the one writer of each budget; this is the worker's side of it.
 */
public interface BudgetGate {

  /**
   * Reserves the call's worst case against every budget of its tenant and route; completes when all
   * hold, fails with {@link BudgetExhausted} when one does not (what it did reserve is released).
   */
  CompletionStage<Void> reserve(String tenant, String route, String attemptId, long worstCase);

  /** The call was sent and ended, costing {@code cost}: its reservation is settled. */
  void ended(String attemptId, long cost);

  /** The call was reserved but never sent: its reservation is released. */
  void released(String attemptId);

  /** The leases the call was reserved from, for its usage event (read once). */
  List<String> leasesOf(String attemptId);

  /** No budgets: every call may go. */
  BudgetGate NONE =
      new BudgetGate() {
        @Override
        public CompletionStage<Void> reserve(
            String tenant, String route, String attemptId, long worstCase) {
          return CompletableFuture.completedFuture(null);
        }

        @Override
        public void ended(String attemptId, long cost) {}

        @Override
        public void released(String attemptId) {}

        @Override
        public List<String> leasesOf(String attemptId) {
          return List.of();
        }
      };

  /**
   * This gate behind a tenant pause on {@code agent.control.v1} (the cost aggregator's
   * after-the-fact budget trip, or an operator's): a paused tenant's next call is not sent, and its
   * run stops for review with its journal intact.
   */
  static BudgetGate pausable(BudgetGate inner, java.util.function.Predicate<String> tenantPaused) {
    return new BudgetGate() {
      @Override
      public CompletionStage<Void> reserve(
          String tenant, String route, String attemptId, long worstCase) {
        if (tenantPaused.test(tenant)) {
          return CompletableFuture.failedFuture(
              new BudgetExhausted(
                  "tenant:" + tenant,
                  AtLimit.REVIEW,
                  "the tenant is paused on agent.control.v1 (a budget trip or an operator)"));
        }
        return inner.reserve(tenant, route, attemptId, worstCase);
      }

      @Override
      public void ended(String attemptId, long cost) {
        inner.ended(attemptId, cost);
      }

      @Override
      public void released(String attemptId) {
        inner.released(attemptId);
      }

      @Override
      public List<String> leasesOf(String attemptId) {
        return inner.leasesOf(attemptId);
      }
    };
  }

  /** What a run does when a budget has nothing left for its next call. */
  enum AtLimit {
    /** Stop with the journal intact and become a BUDGET_EXHAUSTED review item. */
    REVIEW,
    /** Wait on the retry ladder; a later attempt resumes from the journal when budget returns. */
    WAIT,
    /** Try the turn on the chain's cheaper models; review when none of them can be held. */
    FALLBACK
  }

  /** A budget could not hold the call: it was not sent. */
  final class BudgetExhausted extends RuntimeException {
    private final String budgetId;
    private final AtLimit atLimit;

    public BudgetExhausted(String budgetId, AtLimit atLimit, String detail) {
      super("budget " + budgetId + " cannot hold the next call: " + detail, null, false, false);
      this.budgetId = budgetId;
      this.atLimit = atLimit;
    }

    public String budgetId() {
      return budgetId;
    }

    public AtLimit atLimit() {
      return atLimit;
    }
  }
}
