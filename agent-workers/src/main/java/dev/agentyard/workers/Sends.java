package dev.agentyard.workers;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Producer sends as futures, for the worker's usage events and journal steps. */
public final class Sends {

  private Sends() {}

  /**
   * Sends a record; the future completes when the brokers acknowledged it, or fails with the send's
   * error. It completes on the producer's I/O thread: compose on it asynchronously (a send made on
   * that thread waits for metadata only that thread can fetch).
   */
  public static <K, V> CompletableFuture<Void> acknowledged(
      Producer<K, V> producer, ProducerRecord<K, V> record) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    producer.send(
        record,
        (metadata, e) -> {
          if (e != null) {
            done.completeExceptionally(e);
          } else {
            done.complete(null);
          }
        });
    return done;
  }
}
