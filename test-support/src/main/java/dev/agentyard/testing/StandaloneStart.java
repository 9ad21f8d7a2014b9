package dev.agentyard.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Starting a service the way a user does on a fresh cluster: its main's configuration path (bundled
 * defaults, then the environment) with nothing in the environment but a bootstrap address and a
 * registry URL, then waiting for its readiness endpoint.
 */
public final class StandaloneStart {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private StandaloneStart() {}

  /**
   * The environment a user gives a service: {@code AGENTYARD_KAFKA_BOOTSTRAP_SERVERS} and {@code
   * AGENTYARD_SCHEMA_REGISTRY_URL}; for an external test cluster also the security settings it
   * needs to be reached at all, as {@code AGENTYARD_KAFKA_COMMON_*}.
   */
  public static Map<String, String> environment(
      KafkaCluster kafka, SchemaRegistryEndpoint registry) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("AGENTYARD_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    env.put("AGENTYARD_SCHEMA_REGISTRY_URL", registry.url());
    kafka
        .clientProperties()
        .forEach(
            (k, v) -> {
              if (!k.equals("bootstrap.servers")) {
                env.put(
                    "AGENTYARD_KAFKA_COMMON_" + k.toUpperCase(Locale.ROOT).replace('.', '_'),
                    String.valueOf(v));
              }
            });
    return env;
  }

  /**
   * Polls {@code http://127.0.0.1:<port>/health/ready} until it answers 200, and returns its body;
   * fails with the last answer when {@code timeout} passes first.
   */
  public static String awaitReady(int port, Duration timeout) throws InterruptedException {
    return awaitReady("the service on port " + port, port, timeout, () -> {});
  }

  /**
   * As {@link #awaitReady(int, Duration)}, for {@code what} (named in the failure), running {@code
   * beforeEachPoll} first each time: a check that throws when waiting is pointless (the process
   * exited).
   */
  public static String awaitReady(String what, int port, Duration timeout, Runnable beforeEachPoll)
      throws InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + port + "/health/ready");
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      beforeEachPoll.run();
      try {
        HttpResponse<String> r =
            HTTP.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return r.body();
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200); // the poll's interval, bounded by the deadline above
    }
    throw new IllegalStateException(what + " not ready within " + timeout + ": " + last);
  }
}
