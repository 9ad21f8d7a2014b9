package dev.agentyard.cost;

import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.CostDimension;
import dev.agentyard.avro.ModelUsage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The combiner before the repartition: sums the de-duplicated usage events of its input partition
 * into one {@link CostTotals} per dimension, dimension key and minute (or a shorter {@link #bucket}
 * when a window is shorter), and forwards those partial sums every {@code
 * cost.pre-aggregate.interval}, so the repartition topics and the aggregation stores see records in
 * proportion to keys, not to events.
 *
 * <p>The sums wait in a state store with caching on (an in-memory store with a changelog): a put
 * costs a cache write, and what is written to the changelog at a commit is one record per key. So a
 * commit that includes the input offsets of events not yet forwarded also includes their sums, and
 * after a crash the next owner of the partition forwards them: exactly once, as before. Minute
 * buckets nest in every window size and in UTC days and months, so a partial sum falls in exactly
 * the windows and periods its events would have; it is forwarded with the newest timestamp of its
 * events.
 *
 * <p>It also records the per-call meters (cost, tokens, calls by outcome), which need each event.
 * With an interval of zero, every event is forwarded at once as a sum of one (the behaviour before
 * pre-aggregation, kept so tests can compare the two).
 */
final class PartialSums implements Processor<String, ModelUsage, String, PartialSums.Partial> {

  static final String STORE = "cost-partials";
  private static final CostDimension[] DIMENSIONS = {
    CostDimension.ROUTE, CostDimension.ROUTE_MODEL, CostDimension.TENANT
  };

  /** A partial sum on its way to one dimension's aggregation. */
  record Partial(CostDimension dimension, CostTotals totals) {}

  /** A sum waiting in the store, with the newest timestamp of its events. */
  record Pending(long timestamp, CostTotals totals) {
    Pending plus(long ts, ModelUsage u) {
      return new Pending(Math.max(timestamp, ts), totals.add(u));
    }
  }

  private final Duration interval;
  private final long bucket;
  private final CostMetrics metrics;
  private ProcessorContext<String, Partial> context;
  private KeyValueStore<String, Pending> pending;

  /**
   * @param windows the window sizes: a sum covers a bucket that nests in each of them and in a UTC
   *     day ({@link #bucket})
   */
  PartialSums(Duration interval, List<Duration> windows, CostMetrics metrics) {
    this.interval = interval;
    this.bucket = bucket(windows);
    this.metrics = metrics;
  }

  /**
   * The largest span that divides every window size and a day (so every month too): a minute for
   * the default 1m, 1h and 1d; 30 s if a 30 s window is configured. Buckets start at multiples of
   * it since the epoch, as windows and days do, so a bucket never straddles a window or a period.
   */
  static long bucket(List<Duration> windows) {
    long b = Duration.ofDays(1).toMillis();
    for (Duration w : windows) {
      b = gcd(b, w.toMillis());
    }
    return b;
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  @Override
  public void init(ProcessorContext<String, Partial> context) {
    this.context = context;
    if (!interval.isZero()) {
      this.pending = context.getStateStore(STORE);
      context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }
  }

  @Override
  public void process(Record<String, ModelUsage> record) {
    ModelUsage u = record.value();
    meter(u);
    long ts = record.timestamp();
    for (CostDimension d : DIMENSIONS) {
      String dimKey = CostTopology.dimensionKey(d, u);
      if (pending == null) {
        context.forward(
            new Record<>(dimKey, new Partial(d, CostTotals.EMPTY.add(u)), ts, record.headers()));
        continue;
      }
      String key = storeKey(d, ts - Math.floorMod(ts, bucket), dimKey);
      Pending current = pending.get(key);
      pending.put(
          key, current == null ? new Pending(ts, CostTotals.EMPTY.add(u)) : current.plus(ts, u));
    }
  }

  /** Forwards every waiting sum (oldest minute first) and forgets it. */
  private void flush() {
    List<KeyValue<String, Pending>> due = new ArrayList<>();
    try (KeyValueIterator<String, Pending> it = pending.all()) {
      it.forEachRemaining(due::add);
    }
    for (KeyValue<String, Pending> kv : due) {
      int first = kv.key.indexOf('|');
      int second = kv.key.indexOf('|', first + 1);
      CostDimension d = DIMENSIONS[Integer.parseInt(kv.key.substring(0, first))];
      context.forward(
          new Record<>(
              kv.key.substring(second + 1),
              new Partial(d, kv.value.totals()),
              kv.value.timestamp()));
      pending.delete(kv.key);
    }
  }

  /** {@code <dimension index>|<bucket start, 15 digits>|<dimension key>}: sorted by time. */
  static String storeKey(CostDimension d, long bucketStart, String dimKey) {
    int index =
        switch (d) {
          case ROUTE -> 0;
          case ROUTE_MODEL -> 1;
          default -> 2;
        };
    return index + "|" + CostProcessor.pad(bucketStart) + "|" + dimKey;
  }

  private void meter(ModelUsage u) {
    if (u.getOutcome() == CallOutcome.UNCONFIRMED) {
      metrics.unconfirmed(u.getRoute(), u.getModel(), u.getTenant()).increment(u.getCostMicroUsd());
    } else {
      metrics.cost(u.getRoute(), u.getModel(), u.getTenant()).increment(u.getCostMicroUsd());
    }
    metrics.tokens(u.getRoute(), u.getModel(), "input").increment(u.getInputTokens());
    metrics.tokens(u.getRoute(), u.getModel(), "output").increment(u.getOutputTokens());
    metrics.tokens(u.getRoute(), u.getModel(), "cache_read").increment(u.getCacheReadTokens());
    metrics
        .tokens(u.getRoute(), u.getModel(), "cache_write")
        .increment(u.getCacheWriteTokens() - u.getCacheWrite1hTokens());
    metrics
        .tokens(u.getRoute(), u.getModel(), "cache_write_1h")
        .increment(u.getCacheWrite1hTokens());
    metrics
        .calls(u.getRoute(), u.getModel(), u.getOutcome().name().toLowerCase(Locale.ROOT))
        .increment();
  }

  /** The store's values: the timestamp, then the totals in their own format. */
  static Serde<Pending> pendingSerde() {
    Serde<CostTotals> totals = CostTotals.serde();
    Serializer<Pending> ser =
        (topic, p) -> {
          if (p == null) {
            return null;
          }
          byte[] t = totals.serializer().serialize(topic, p.totals());
          return ByteBuffer.allocate(Long.BYTES + t.length).putLong(p.timestamp()).put(t).array();
        };
    Deserializer<Pending> de =
        (topic, data) -> {
          if (data == null) {
            return null;
          }
          ByteBuffer b = ByteBuffer.wrap(data);
          long ts = b.getLong();
          byte[] t = new byte[b.remaining()];
          b.get(t);
          return new Pending(ts, totals.deserializer().deserialize(topic, t));
        };
    return Serdes.serdeFrom(ser, de);
  }

  /**
   * The repartition topics' values: partial sums in {@link CostTotals}' format. A record an earlier
   * version wrote there (one Avro usage event, Confluent wire format: first byte 0) is read as a
   * sum of one, so an upgrade loses nothing still in flight in those topics.
   */
  static Serde<CostTotals> repartitionSerde(Serde<ModelUsage> usage) {
    Serde<CostTotals> totals = CostTotals.serde();
    Deserializer<CostTotals> de =
        (topic, data) -> {
          if (data == null) {
            return null;
          }
          if (data.length > 0 && data[0] == 0) {
            return CostTotals.EMPTY.add(usage.deserializer().deserialize(topic, data));
          }
          return totals.deserializer().deserialize(topic, data);
        };
    return Serdes.serdeFrom(totals.serializer(), de);
  }
}
