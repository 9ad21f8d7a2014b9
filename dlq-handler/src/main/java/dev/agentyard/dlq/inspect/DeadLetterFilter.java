package dev.agentyard.dlq.inspect;

import dev.agentyard.avro.DispositionKind;
import dev.agentyard.avro.DlqDisposition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which dead letters an operator means: by topic, time range, reason or error class, route, model,
 * task id, free text in the error message, and what was done with them already. Every criterion is
 * optional; all given must hold.
 *
 * @param topics dead-letter topics to read; empty = every {@code *.dlq} topic
 * @param errorClass case-insensitive substring of the exception class (e.g. {@code Timeout})
 * @param text case-insensitive substring of the error message
 * @param status what was done already: {@code pending} (nothing), {@code replayed}, {@code parked},
 *     or {@code any}
 */
public record DeadLetterFilter(
    List<String> topics,
    Optional<Instant> from,
    Optional<Instant> to,
    Optional<String> reason,
    Optional<String> errorClass,
    Optional<String> route,
    Optional<String> model,
    Optional<String> taskId,
    Optional<String> text,
    String status) {

  public static final List<String> STATUSES = List.of("pending", "replayed", "parked", "any");

  public DeadLetterFilter {
    topics = List.copyOf(topics);
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException(
          "status must be one of " + STATUSES + ", got '" + status + "'");
    }
    if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
      throw new IllegalArgumentException(
          "the time range ends (" + to.get() + ") before it starts (" + from.get() + ")");
    }
  }

  /** Every dead letter of every topic. */
  public static DeadLetterFilter all() {
    return builder().build();
  }

  /**
   * A filter built criterion by criterion; nothing set selects every dead letter of every topic.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds a {@link DeadLetterFilter}: each criterion by name, {@code null} meaning "not given".
   */
  public static final class Builder {
    private List<String> topics = List.of();
    private Instant from;
    private Instant to;
    private String reason;
    private String errorClass;
    private String route;
    private String model;
    private String taskId;
    private String text;
    private String status = "any";

    private Builder() {}

    public Builder topics(List<String> v) {
      topics = v == null ? List.of() : v;
      return this;
    }

    public Builder topic(String v) {
      return topics(List.of(v));
    }

    public Builder from(Instant v) {
      from = v;
      return this;
    }

    public Builder to(Instant v) {
      to = v;
      return this;
    }

    public Builder reason(String v) {
      reason = v;
      return this;
    }

    public Builder errorClass(String v) {
      errorClass = v;
      return this;
    }

    public Builder route(String v) {
      route = v;
      return this;
    }

    public Builder model(String v) {
      model = v;
      return this;
    }

    public Builder taskId(String v) {
      taskId = v;
      return this;
    }

    public Builder text(String v) {
      text = v;
      return this;
    }

    /** {@code pending}, {@code replayed}, {@code parked} or {@code any} (the default). */
    public Builder status(String v) {
      status = v;
      return this;
    }

    public DeadLetterFilter build() {
      return new DeadLetterFilter(
          topics,
          Optional.ofNullable(from),
          Optional.ofNullable(to),
          Optional.ofNullable(reason),
          Optional.ofNullable(errorClass),
          Optional.ofNullable(route),
          Optional.ofNullable(model),
          Optional.ofNullable(taskId),
          Optional.ofNullable(text),
          status);
    }
  }

  /** One topic's dead letters, whatever was done with them. */
  public static DeadLetterFilter topic(String topic) {
    return all().withTopics(List.of(topic));
  }

  public DeadLetterFilter withTopics(List<String> t) {
    return new DeadLetterFilter(
        t, from, to, reason, errorClass, route, model, taskId, text, status);
  }

  public DeadLetterFilter withStatus(String s) {
    return new DeadLetterFilter(
        topics, from, to, reason, errorClass, route, model, taskId, text, s);
  }

  /** Whether the dead letter (and what was done with it, if anything) is selected. */
  public boolean matches(DeadLetter d, Optional<DlqDisposition> done) {
    if (from.isPresent() && d.timestamp().isBefore(from.get())) {
      return false;
    }
    if (to.isPresent() && !d.timestamp().isBefore(to.get())) {
      return false;
    }
    boolean ok =
        reason.map(r -> r.equalsIgnoreCase(d.failure().reason())).orElse(true)
            && errorClass.map(e -> contains(d.failure().errorClass(), e)).orElse(true)
            && route.map(r -> r.equals(d.run().route())).orElse(true)
            && model.map(m -> m.equals(d.run().model())).orElse(true)
            && taskId.map(t -> t.equals(d.run().taskId())).orElse(true)
            && text.map(t -> contains(d.failure().message(), t)).orElse(true);
    if (!ok) {
      return false;
    }
    return switch (status) {
      case "pending" -> done.isEmpty();
      case "replayed" ->
          done.map(x -> x.getDisposition() == DispositionKind.REPLAYED).orElse(false);
      case "parked" -> done.map(x -> x.getDisposition() == DispositionKind.PARKED).orElse(false);
      default -> true;
    };
  }

  private static boolean contains(String haystack, String needle) {
    return haystack.toLowerCase(Locale.ROOT).contains(needle.toLowerCase(Locale.ROOT));
  }

  /** The filter as one line, for the audit trail. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    parts.add("topics=" + (topics.isEmpty() ? "*.dlq" : String.join(",", topics)));
    from.ifPresent(v -> parts.add("from=" + v));
    to.ifPresent(v -> parts.add("to=" + v));
    reason.ifPresent(v -> parts.add("reason=" + v));
    errorClass.ifPresent(v -> parts.add("error-class=" + v));
    route.ifPresent(v -> parts.add("route=" + v));
    model.ifPresent(v -> parts.add("model=" + v));
    taskId.ifPresent(v -> parts.add("task=" + v));
    text.ifPresent(v -> parts.add("text=" + v));
    parts.add("status=" + status);
    return String.join(" ", parts);
  }
}
