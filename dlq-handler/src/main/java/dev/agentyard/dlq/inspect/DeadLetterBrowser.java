package dev.agentyard.dlq.inspect;

import dev.agentyard.avro.DlqDisposition;
import dev.agentyard.schemas.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads dead letters for the console: selects them by filter across every dead-letter topic, pages
 * them, summarises them, finds one by its coordinates, and knows what was already done with each
 * (from the compacted dispositions topic).
 */
public final class DeadLetterBrowser {

  /** Oldest first, then by place: a stable order for paging. */
  public static final Comparator<DeadLetter> ORDER =
      Comparator.comparing(DeadLetter::timestamp)
          .thenComparing(DeadLetter::topic)
          .thenComparingInt(DeadLetter::partition)
          .thenComparingLong(DeadLetter::offset);

  /** A page of dead letters; {@code nextCursor} is empty on the last page. */
  public record Page(List<DeadLetter> items, int total, Optional<String> nextCursor) {}

  /** Counts of the selected dead letters, for a first look at a spike. */
  public record Summary(
      int total,
      Map<String, Integer> byReason,
      Map<String, Integer> byErrorClass,
      Map<String, Integer> byRoute,
      Map<String, Integer> byHour,
      Map<String, Integer> byTopic,
      long tokensSpent,
      long costSpentMicroUsd) {}

  private final TopicScan scan;
  private final Supplier<List<String>> topicNames;
  private final Deserializer<DlqDisposition> dispositionReader;

  public DeadLetterBrowser(
      TopicScan scan,
      Supplier<List<String>> topicNames,
      Deserializer<DlqDisposition> dispositionReader) {
    this.scan = scan;
    this.topicNames = topicNames;
    this.dispositionReader = dispositionReader;
  }

  /** Every dead-letter topic of the cluster ({@code *.dlq}), sorted. */
  public List<String> deadLetterTopics() {
    return topicNames.get().stream().filter(Topics::isDeadLetter).sorted().toList();
  }

  /**
   * What was done with each dead letter, by coordinates (latest wins, as in the compacted topic).
   */
  public Map<String, DlqDisposition> dispositions() {
    Map<String, DlqDisposition> done = new HashMap<>();
    if (!topicNames.get().contains(Topics.DLQ_DISPOSITIONS.name())) {
      return done;
    }
    scan.scan(
        List.of(Topics.DLQ_DISPOSITIONS.name()),
        Optional.empty(),
        r -> {
          String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
          if (key == null) {
            return;
          }
          if (r.value() == null) {
            done.remove(key);
          } else {
            done.put(key, dispositionReader.deserialize(r.topic(), r.headers(), r.value()));
          }
        });
    return done;
  }

  /** The dead letters the filter selects, in {@link #ORDER}. */
  public List<DeadLetter> select(DeadLetterFilter filter, Map<String, DlqDisposition> done) {
    List<String> topics = filter.topics().isEmpty() ? deadLetterTopics() : filter.topics();
    for (String t : topics) {
      if (!Topics.isDeadLetter(t)) {
        throw new IllegalArgumentException(t + " is not a dead-letter topic (*.dlq)");
      }
    }
    List<DeadLetter> out = new ArrayList<>();
    scan.scan(
        topics,
        filter.from(),
        r -> {
          DeadLetter d = DeadLetter.of(r);
          if (filter.matches(d, Optional.ofNullable(done.get(d.coordinates())))) {
            out.add(d);
          }
        });
    out.sort(ORDER);
    return out;
  }

  /**
   * One page of the selection, after the cursor (a dead letter's coordinates, from the previous
   * page).
   */
  public Page page(DeadLetterFilter filter, int limit, Optional<String> cursor) {
    List<DeadLetter> all = select(filter, dispositions());
    int start = 0;
    if (cursor.isPresent()) {
      start = all.size();
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).coordinates().equals(cursor.get())) {
          start = i + 1;
          break;
        }
      }
    }
    List<DeadLetter> items =
        all.subList(Math.min(start, all.size()), Math.min(start + limit, all.size()));
    Optional<String> next =
        start + limit < all.size() && !items.isEmpty()
            ? Optional.of(items.get(items.size() - 1).coordinates())
            : Optional.empty();
    return new Page(List.copyOf(items), all.size(), next);
  }

  /** Counts by reason, error class, route, hour and topic. */
  public Summary summary(DeadLetterFilter filter) {
    List<DeadLetter> all = select(filter, dispositions());
    Map<String, Integer> reason = new TreeMap<>();
    Map<String, Integer> error = new TreeMap<>();
    Map<String, Integer> route = new TreeMap<>();
    Map<String, Integer> hour = new TreeMap<>();
    Map<String, Integer> topic = new TreeMap<>();
    long tokens = 0;
    long cost = 0;
    for (DeadLetter d : all) {
      reason.merge(d.failure().reason(), 1, Integer::sum);
      error.merge(
          d.failure().errorClass().isEmpty()
              ? "(none)"
              : d.failure().errorClass().substring(d.failure().errorClass().lastIndexOf('.') + 1),
          1,
          Integer::sum);
      route.merge(d.run().route().isEmpty() ? "(none)" : d.run().route(), 1, Integer::sum);
      hour.merge(d.timestamp().truncatedTo(ChronoUnit.HOURS).toString(), 1, Integer::sum);
      topic.merge(d.topic(), 1, Integer::sum);
      tokens += d.run().tokensSpent();
      cost += d.run().costSpentMicroUsd();
    }
    return new Summary(all.size(), reason, error, route, hour, topic, tokens, cost);
  }

  /** One dead letter by {@code <topic>/<partition>/<offset>}. */
  public Optional<DeadLetter> find(String coordinates) {
    int b = coordinates.lastIndexOf('/');
    int a = b < 0 ? -1 : coordinates.lastIndexOf('/', b - 1);
    if (a <= 0) {
      throw new IllegalArgumentException(
          "a dead letter is named <topic>/<partition>/<offset>, got '" + coordinates + "'");
    }
    String topic = coordinates.substring(0, a);
    if (!Topics.isDeadLetter(topic)) {
      throw new IllegalArgumentException(topic + " is not a dead-letter topic (*.dlq)");
    }
    int partition;
    long offset;
    try {
      partition = Integer.parseInt(coordinates.substring(a + 1, b));
      offset = Long.parseLong(coordinates.substring(b + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "a dead letter is named <topic>/<partition>/<offset>, got '" + coordinates + "'");
    }
    return scan.one(topic, partition, offset).map(DeadLetter::of);
  }
}
