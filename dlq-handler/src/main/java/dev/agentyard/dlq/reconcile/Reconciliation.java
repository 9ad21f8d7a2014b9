package dev.agentyard.dlq.reconcile;

import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.ModelUsage;
import dev.agentyard.runtime.pricing.BilledTokens;
import dev.agentyard.runtime.pricing.PriceTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Our books (the usage events of one provider) against the provider's export: calls on one side and
 * not the other, tokens and money that differ. Per request when the export has request ids (the
 * provider's {@code request-id} / {@code x-request-id}, which every usage event carries since
 * ModelUsage v3; the client's {@code X-Client-Request-Id}, our attempt id, as a fallback); per time
 * bucket and model otherwise.
 */
public final class Reconciliation {

  /** A call we recorded and the provider did not, or the other way round. */
  public record Unmatched(String requestId, String model, BilledTokens tokens, long microUsd) {}

  /** A call on both sides whose tokens or money differ. */
  public record Mismatch(
      String requestId,
      String model,
      BilledTokens ours,
      BilledTokens theirs,
      long ourMicroUsd,
      long theirMicroUsd) {}

  /** One bucket and model: requests, tokens and money on each side. */
  public record BucketLine(
      Instant start,
      String model,
      long ourCalls,
      long theirCalls,
      BilledTokens ours,
      BilledTokens theirs,
      long ourMicroUsd,
      long theirMicroUsd) {

    public boolean differs() {
      return !ours.equals(theirs)
          || ourMicroUsd != theirMicroUsd
          || (theirCalls >= 0 && ourCalls != theirCalls);
    }
  }

  /**
   * The outcome.
   *
   * @param matched calls on both sides that agree
   * @param onlyOurs billed in our books, absent from the provider's
   * @param onlyTheirs billed by the provider, absent from our books: money we never recorded
   * @param mismatched on both sides, with different tokens or money
   * @param buckets per bucket and model, for bucketed exports
   * @param ourMicroUsd our total
   * @param theirMicroUsd the provider's total (its cost where the export has one, else its tokens
   *     at our price table)
   * @param unconfirmed our UNCONFIRMED calls (estimates, kept apart): a call on their side only may
   *     be one of these
   */
  public record Report(
      int matched,
      List<Unmatched> onlyOurs,
      List<Unmatched> onlyTheirs,
      List<Mismatch> mismatched,
      List<BucketLine> buckets,
      long ourMicroUsd,
      long theirMicroUsd,
      long unconfirmed) {

    public boolean clean() {
      return onlyOurs.isEmpty()
          && onlyTheirs.isEmpty()
          && mismatched.isEmpty()
          && buckets.stream().noneMatch(BucketLine::differs)
          && ourMicroUsd == theirMicroUsd;
    }
  }

  private final PriceTable prices;

  public Reconciliation(PriceTable prices) {
    this.prices = prices;
  }

  /**
   * Compares our usage events (of the provider, over the export's period) with the export. Calls we
   * recorded that carried no tokens (refused, failed before an answer) are not billed and not
   * compared.
   */
  public Report compare(List<ModelUsage> ours, ProviderExport theirs) {
    List<ModelUsage> billed = new ArrayList<>();
    long unconfirmed = 0;
    for (ModelUsage u : ours) {
      if (u.getOutcome() == CallOutcome.UNCONFIRMED) {
        unconfirmed++;
      } else if (tokens(u).promptTokens() + u.getOutputTokens() > 0) {
        billed.add(u);
      }
    }
    return switch (theirs) {
      case ProviderExport.Calls c -> perRequest(billed, c.calls(), unconfirmed);
      case ProviderExport.Buckets b -> perBucket(billed, b.buckets(), unconfirmed);
    };
  }

  private Report perRequest(
      List<ModelUsage> ours, List<ProviderExport.Call> theirs, long unconfirmed) {
    Map<String, ModelUsage> byId = new LinkedHashMap<>();
    Map<String, String> attemptToId = new HashMap<>();
    for (ModelUsage u : ours) {
      String id = u.getProviderRequestId() != null ? u.getProviderRequestId() : u.getAttemptId();
      byId.put(id, u);
      attemptToId.put(u.getAttemptId(), id);
    }
    int matched = 0;
    long ourTotal = 0;
    long theirTotal = 0;
    List<Unmatched> onlyTheirs = new ArrayList<>();
    List<Mismatch> mismatched = new ArrayList<>();
    for (ProviderExport.Call t : theirs) {
      BilledTokens tt =
          new BilledTokens(
              t.input(), t.output(), t.cacheRead(), t.cacheWrite5m(), t.cacheWrite1h());
      long theirCost =
          t.costMicroUsd().isPresent()
              ? t.costMicroUsd().getAsLong()
              : prices.cost(t.model(), tt, PriceTable.STANDARD).orElse(0L);
      theirTotal += theirCost;
      String id = t.requestId();
      ModelUsage u = id == null ? null : byId.remove(id);
      if (u == null && id != null && attemptToId.containsKey(id)) {
        u = byId.remove(attemptToId.get(id));
      }
      if (u == null) {
        onlyTheirs.add(new Unmatched(id, t.model(), tt, theirCost));
        continue;
      }
      ourTotal += u.getCostMicroUsd();
      BilledTokens ot = tokens(u);
      if (!ot.equals(tt) || u.getCostMicroUsd() != theirCost) {
        mismatched.add(new Mismatch(id, u.getModel(), ot, tt, u.getCostMicroUsd(), theirCost));
      } else {
        matched++;
      }
    }
    List<Unmatched> onlyOurs = new ArrayList<>();
    for (Map.Entry<String, ModelUsage> e : byId.entrySet()) {
      ModelUsage u = e.getValue();
      ourTotal += u.getCostMicroUsd();
      onlyOurs.add(new Unmatched(e.getKey(), u.getModel(), tokens(u), u.getCostMicroUsd()));
    }
    return new Report(
        matched, onlyOurs, onlyTheirs, mismatched, List.of(), ourTotal, theirTotal, unconfirmed);
  }

  private Report perBucket(
      List<ModelUsage> ours, List<ProviderExport.Bucket> theirs, long unconfirmed) {
    List<BucketLine> lines = new ArrayList<>();
    long ourTotal = 0;
    long theirTotal = 0;
    List<ModelUsage> left = new ArrayList<>(ours);
    for (ProviderExport.Bucket b : theirs) {
      long calls = 0;
      long in = 0;
      long out = 0;
      long read = 0;
      long w5 = 0;
      long w1 = 0;
      long cost = 0;
      for (var it = left.iterator(); it.hasNext(); ) {
        ModelUsage u = it.next();
        Instant at = u.getCompletedAt();
        if (at.isBefore(b.start())
            || !at.isBefore(b.end())
            || !sameModel(u.getModel(), b.model())) {
          continue;
        }
        it.remove();
        BilledTokens t = tokens(u);
        calls++;
        in += t.input();
        out += t.output();
        read += t.cacheRead();
        w5 += t.cacheWrite5m();
        w1 += t.cacheWrite1h();
        cost += u.getCostMicroUsd();
      }
      BilledTokens tt =
          new BilledTokens(
              b.input(), b.output(), b.cacheRead(), b.cacheWrite5m(), b.cacheWrite1h());
      long theirCost = prices.cost(ourName(b.model()), tt, PriceTable.STANDARD).orElse(0L);
      ourTotal += cost;
      theirTotal += theirCost;
      lines.add(
          new BucketLine(
              b.start(),
              b.model(),
              calls,
              b.requests(),
              new BilledTokens(in, out, read, w5, w1),
              tt,
              cost,
              theirCost));
    }
    List<Unmatched> onlyOurs = new ArrayList<>();
    for (ModelUsage u : left) {
      ourTotal += u.getCostMicroUsd();
      onlyOurs.add(
          new Unmatched(
              Optional.ofNullable(u.getProviderRequestId()).orElse(u.getAttemptId()),
              u.getModel(),
              tokens(u),
              u.getCostMicroUsd()));
    }
    return new Report(0, onlyOurs, List.of(), List.of(), lines, ourTotal, theirTotal, unconfirmed);
  }

  /** A provider's dated model name ({@code gpt-4o-mini-2024-07-18}) is the alias we call. */
  private boolean sameModel(String ours, String theirs) {
    return theirs.equals(ours) || ourName(theirs).equals(ours);
  }

  private String ourName(String theirs) {
    for (String m : prices.models()) {
      if (theirs.equals(m) || theirs.startsWith(m + "-20")) {
        return m;
      }
    }
    return theirs;
  }

  static BilledTokens tokens(ModelUsage u) {
    return BilledTokens.ofEvent(
        u.getInputTokens(),
        u.getOutputTokens(),
        u.getCacheReadTokens(),
        u.getCacheWriteTokens(),
        u.getCacheWrite1hTokens());
  }
}
