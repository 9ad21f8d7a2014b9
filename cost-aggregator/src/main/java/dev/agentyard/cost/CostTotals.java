package dev.agentyard.cost;

import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.ModelUsage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Running totals of model calls: the value of every window and period in the state stores.
 * Immutable; integer arithmetic only, so sums are exact.
 *
 * @param costMicroUsd confirmed cost: calls whose answer (or error) was recorded
 * @param priceTableVersion the price table the costs came from; {@code mixed} when calls priced
 *     with different versions fall together
 * @param unconfirmedCalls calls sent whose answer was never recorded (their worker died): possibly
 *     billed, not in the other counts
 * @param unconfirmedMicroUsd the worst-case estimate of those calls, kept apart from {@code
 *     costMicroUsd}
 * @param cacheWrite1hTokens of {@code cacheWriteTokens}, those written with a 1-hour lifetime
 */
public record CostTotals(
    long requests,
    long attempts,
    long failures,
    long fallbacks,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    long costMicroUsd,
    String priceTableVersion,
    long unconfirmedCalls,
    long unconfirmedMicroUsd,
    long cacheWrite1hTokens) {

  public static final CostTotals EMPTY = new CostTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, "", 0, 0, 0);
  public static final String MIXED = "mixed";

  /** These totals plus one call. */
  public CostTotals add(ModelUsage u) {
    if (u.getOutcome() == CallOutcome.UNCONFIRMED) {
      return new CostTotals(
          requests,
          attempts,
          failures,
          fallbacks,
          inputTokens,
          outputTokens,
          cacheReadTokens,
          cacheWriteTokens,
          costMicroUsd,
          priceTableVersion,
          unconfirmedCalls + 1,
          Math.addExact(unconfirmedMicroUsd, u.getCostMicroUsd()),
          cacheWrite1hTokens);
    }
    String version =
        priceTableVersion.isEmpty() || priceTableVersion.equals(u.getPriceTableVersion())
            ? u.getPriceTableVersion()
            : MIXED;
    return new CostTotals(
        requests + (u.getTurn() == 1 && u.getAttempt() == 1 ? 1 : 0),
        attempts + 1,
        failures + (u.getOutcome() == CallOutcome.SUCCESS ? 0 : 1),
        fallbacks + (u.getFallback() ? 1 : 0),
        Math.addExact(inputTokens, u.getInputTokens()),
        Math.addExact(outputTokens, u.getOutputTokens()),
        Math.addExact(cacheReadTokens, u.getCacheReadTokens()),
        Math.addExact(cacheWriteTokens, u.getCacheWriteTokens()),
        Math.addExact(costMicroUsd, u.getCostMicroUsd()),
        version,
        unconfirmedCalls,
        unconfirmedMicroUsd,
        Math.addExact(cacheWrite1hTokens, u.getCacheWrite1hTokens()));
  }

  /** Element-wise sum (partial sums of calls; answers merged from several instances). */
  public CostTotals plus(CostTotals o) {
    String version =
        priceTableVersion.isEmpty()
            ? o.priceTableVersion
            : o.priceTableVersion.isEmpty() || o.priceTableVersion.equals(priceTableVersion)
                ? priceTableVersion
                : MIXED;
    return new CostTotals(
        requests + o.requests,
        attempts + o.attempts,
        failures + o.failures,
        fallbacks + o.fallbacks,
        Math.addExact(inputTokens, o.inputTokens),
        Math.addExact(outputTokens, o.outputTokens),
        Math.addExact(cacheReadTokens, o.cacheReadTokens),
        Math.addExact(cacheWriteTokens, o.cacheWriteTokens),
        Math.addExact(costMicroUsd, o.costMicroUsd),
        version,
        unconfirmedCalls + o.unconfirmedCalls,
        Math.addExact(unconfirmedMicroUsd, o.unconfirmedMicroUsd),
        Math.addExact(cacheWrite1hTokens, o.cacheWrite1hTokens));
  }

  /**
   * Compact binary serde for the state stores: nine longs, the version string, the two unconfirmed
   * longs, then the 1-hour cache writes (format 3; formats 1 and 2, without the later fields, are
   * still read).
   */
  public static Serde<CostTotals> serde() {
    Serializer<CostTotals> ser =
        (topic, t) -> {
          if (t == null) {
            return null;
          }
          ByteArrayOutputStream bytes = new ByteArrayOutputStream(96);
          try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(3); // format version
            for (long v :
                new long[] {
                  t.requests,
                  t.attempts,
                  t.failures,
                  t.fallbacks,
                  t.inputTokens,
                  t.outputTokens,
                  t.cacheReadTokens,
                  t.cacheWriteTokens,
                  t.costMicroUsd
                }) {
              out.writeLong(v);
            }
            out.writeUTF(t.priceTableVersion);
            out.writeLong(t.unconfirmedCalls);
            out.writeLong(t.unconfirmedMicroUsd);
            out.writeLong(t.cacheWrite1hTokens);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return bytes.toByteArray();
        };
    Deserializer<CostTotals> de =
        (topic, data) -> {
          if (data == null) {
            return null;
          }
          try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int format = in.readByte();
            if (format < 1 || format > 3) {
              throw new IllegalStateException("Unknown CostTotals format " + format);
            }
            long[] v = new long[9];
            for (int i = 0; i < v.length; i++) {
              v[i] = in.readLong();
            }
            String version = in.readUTF();
            long unconfirmedCalls = format >= 2 ? in.readLong() : 0;
            long unconfirmedCost = format >= 2 ? in.readLong() : 0;
            long cacheWrite1h = format >= 3 ? in.readLong() : 0;
            return new CostTotals(
                v[0],
                v[1],
                v[2],
                v[3],
                v[4],
                v[5],
                v[6],
                v[7],
                v[8],
                version,
                unconfirmedCalls,
                unconfirmedCost,
                cacheWrite1h);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    return Serdes.serdeFrom(ser, de);
  }
}
