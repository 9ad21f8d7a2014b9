package dev.agentyard.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Every call the simulator served, with what a provider would bill for it. Thread-safe. */
public final class Ledger {

  /**
   * One call. Failed calls are recorded with zero billed tokens: providers do not bill them. {@code
   * requestId} is the client's {@code X-Client-Request-Id}, null when it sent none.
   */
  public record Entry(
      long sequence,
      String at,
      String api,
      String model,
      int httpStatus,
      String outcome,
      long inputTokens,
      long outputTokens,
      long cacheReadTokens,
      long cacheWriteTokens,
      long costMicroUsd,
      String requestId) {}

  /** Sums over the ledger. */
  public record Totals(
      long calls,
      long billedCalls,
      long inputTokens,
      long outputTokens,
      long cacheReadTokens,
      long cacheWriteTokens,
      long costMicroUsd) {}

  private final List<Entry> entries = new ArrayList<>();

  synchronized Entry record(
      String api,
      String model,
      int status,
      String outcome,
      long in,
      long out,
      long cacheRead,
      long cacheWrite,
      long cost,
      String requestId) {
    Entry e =
        new Entry(
            entries.size() + 1,
            Instant.now().toString(),
            api,
            model,
            status,
            outcome,
            in,
            out,
            cacheRead,
            cacheWrite,
            cost,
            requestId);
    entries.add(e);
    return e;
  }

  public synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  public synchronized Totals totals() {
    long billed = 0;
    long in = 0;
    long out = 0;
    long cr = 0;
    long cw = 0;
    long cost = 0;
    for (Entry e : entries) {
      if (e.costMicroUsd() > 0 || e.inputTokens() > 0) {
        billed++;
      }
      in += e.inputTokens();
      out += e.outputTokens();
      cr += e.cacheReadTokens();
      cw += e.cacheWriteTokens();
      cost += e.costMicroUsd();
    }
    return new Totals(entries.size(), billed, in, out, cr, cw, cost);
  }

  public synchronized void clear() {
    entries.clear();
  }
}
