package dev.agentyard.workers.provider;

import java.time.Duration;

/**
 * Told the timing of streamed answers, for the OpenTelemetry GenAI client meters {@code
 * gen_ai.client.operation.time_to_first_chunk} and {@code time_per_output_chunk}.
 */
public interface StreamObserver {

  StreamObserver NONE =
      new StreamObserver() {
        @Override
        public void firstChunk(String provider, String model, Duration sinceSent) {}

        @Override
        public void nextChunk(String provider, String model, Duration sincePrevious) {}
      };

  /** The first chunk with content arrived, {@code sinceSent} after the request was sent. */
  void firstChunk(String provider, String model, Duration sinceSent);

  /** Another chunk with content arrived, {@code sincePrevious} after the one before. */
  void nextChunk(String provider, String model, Duration sincePrevious);
}
