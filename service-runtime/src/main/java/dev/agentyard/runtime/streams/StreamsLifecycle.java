package dev.agentyard.runtime.streams;

import dev.agentyard.runtime.errors.ErrorClassifier;
import dev.agentyard.runtime.errors.ErrorKind;
import dev.agentyard.runtime.lifecycle.ServiceRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every Kafka Streams service runs its {@link KafkaStreams}: a failed stream thread is replaced
 * (it resumes from the last committed offset) unless the error is fatal; the service stops when
 * Streams ends in ERROR; Streams' metrics are published; closing leaves the group so a replacement
 * instance gets the partitions at once.
 */
public final class StreamsLifecycle {

  private static final Logger log = LoggerFactory.getLogger(StreamsLifecycle.class);

  private StreamsLifecycle() {}

  /** Wires {@code streams} into the service (before {@code streams.start()}). */
  public static void attach(
      KafkaStreams streams, ServiceRunner runner, MeterRegistry registry, String serviceName) {
    attach(streams, runner, registry, serviceName, "its configured principal");
  }

  /**
   * The same, naming the service's principal ({@code User:name}) when a fatal error is a refusal by
   * the cluster.
   */
  public static void attach(
      KafkaStreams streams,
      ServiceRunner runner,
      MeterRegistry registry,
      String serviceName,
      String principal) {
    streams.setUncaughtExceptionHandler(
        e -> {
          if (ErrorClassifier.classify(e) == ErrorKind.FATAL) {
            log.error("Fatal error in a stream thread; shutting down", e);
            runner.fail(e, principal);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
          }
          log.error(
              "Stream thread failed; replacing it (it resumes from the last committed offset)", e);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.setStateListener(
        (now, before) -> {
          log.info("Kafka Streams {} -> {}", before, now);
          if (now == KafkaStreams.State.ERROR
              || now == KafkaStreams.State.NOT_RUNNING
                  && before != KafkaStreams.State.PENDING_SHUTDOWN) {
            Thread.ofPlatform().name(serviceName + "-stop").start(runner::close);
          }
        });
    KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
    metrics.bindTo(registry);
    runner.register("kafka streams metrics", metrics);
    runner.register(
        "kafka streams",
        () ->
            streams.close(
                new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(30)).leaveGroup(true)));
  }
}
