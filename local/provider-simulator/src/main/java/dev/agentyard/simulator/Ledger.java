package dev.agentyard.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Every call the simulator served, with what a provider would bill for it. Thread-safe. */
public final class Ledger {

  /**
   * One call. Failed calls are recorded with zero billed tokens: providers do not bill them; a
   * stream broken off mid-answer is billed for what was streamed. {@code requestId} is the client's
   * {@code X-Client-Request-Id}, null when it sent none; {@code providerRequestId} is the id the
   * simulator answered with (Anthropic's {@code request-id}, OpenAI's {@code x-request-id}). {@code
   * cacheWriteTokens} counts writes of both lifetimes, {@code cacheWrite1hTokens} the 1-hour ones
   * among them.
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
      long cacheWrite1hTokens,
      long costMicroUsd,
      String requestId,
      String providerRequestId) {}

  /** Sums over the ledger. */
  public record Totals(
      long calls,
      long billedCalls,
      long inputTokens,
      long outputTokens,
      long cacheReadTokens,
      long cacheWriteTokens,
      long cacheWrite1hTokens,
      long costMicroUsd) {}

  private final List<Entry> entries = new ArrayList<>();

  synchronized Entry record(
      String api,
      String model,
      int status,
      String outcome,
      Engine.Usage u,
      String requestId,
      String providerRequestId) {
    Entry e =
        new Entry(
            entries.size() + 1,
            Instant.now().toString(),
            api,
            model,
            status,
            outcome,
            u.input(),
            u.output(),
            u.cacheRead(),
            u.cacheWrite(),
            u.cacheWrite1h(),
            u.costMicroUsd(),
            requestId,
            providerRequestId);
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
    long cw1h = 0;
    long cost = 0;
    for (Entry e : entries) {
      if (e.costMicroUsd() > 0 || e.inputTokens() > 0) {
        billed++;
      }
      in += e.inputTokens();
      out += e.outputTokens();
      cr += e.cacheReadTokens();
      cw += e.cacheWriteTokens();
      cw1h += e.cacheWrite1hTokens();
      cost += e.costMicroUsd();
    }
    return new Totals(entries.size(), billed, in, out, cr, cw, cw1h, cost);
  }

  public synchronized void clear() {
    entries.clear();
  }
}
