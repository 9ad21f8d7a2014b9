package dev.agentyard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ApicurioEndpointIT {

  @Test
  void startsOnLoopbackWithBackwardCompatibilityAndStopsCompletely() throws Exception {
    ApicurioEndpoint registry = ApicurioEndpoint.start();
    try {
      assertThat(registry.url()).startsWith("http://127.0.0.1:").endsWith("/apis/ccompat/v7");
      HttpResponse<String> config =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(registry.url() + "/config")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(config.statusCode()).isEqualTo(200);
      assertThat(config.body()).contains("BACKWARD");
    } finally {
      registry.close();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> !registry.isAlive());
    assertThat(
            ProcessHandle.allProcesses()
                .filter(
                    p ->
                        p.info()
                            .commandLine()
                            .orElse("")
                            .contains(
                                "quarkus.http.port=" + registry.url().split(":")[2].split("/")[0])))
        .isEmpty();
  }
}
