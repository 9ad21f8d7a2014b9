package dev.agentyard.cost;

import dev.agentyard.avro.ModelUsage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time of a usage event is when the call completed, not when it was produced: a usage event
 * retried by its producer still lands in the window of the call.
 */
public final class UsageTimestampExtractor implements TimestampExtractor {

  /** How far a call's completion time may be ahead of the event's producer timestamp. */
  static final long MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.value() instanceof ModelUsage u && u.getCompletedAt() != null) {
      long completed = u.getCompletedAt().toEpochMilli();
      // A completion time far ahead of when the event was produced is a wrong clock or a forgery:
      // it must not drag stream time forward and close every open window.
      return record.timestamp() >= 0
          ? Math.min(completed, record.timestamp() + MAX_CLOCK_SKEW_MS)
          : completed;
    }
    // Bad input (dead-lettered later) keeps its record timestamp so it does not move stream time
    // oddly.
    return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
  }
}
