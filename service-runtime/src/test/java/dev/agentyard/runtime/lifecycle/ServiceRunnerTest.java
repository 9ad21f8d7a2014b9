package dev.agentyard.runtime.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceRunnerTest {

  @Test
  void closesResourcesInReverseOrderOnceEvenWhenOneFails() {
    List<String> closed = new ArrayList<>();
    ServiceRunner runner = new ServiceRunner("test-service");
    runner.register("http", () -> closed.add("http"));
    runner.register(
        "producer",
        () -> {
          closed.add("producer");
          throw new IllegalStateException("flush failed");
        });
    runner.register("consumer loop", () -> closed.add("consumer loop"));

    runner.close();
    runner.close();

    assertThat(closed).containsExactly("consumer loop", "producer", "http");
  }

  @Test
  void startupFailureGivesExitCodeOne() {
    int code =
        ServiceRunner.runMain(
            "test-service",
            () -> {
              throw new IllegalStateException("cannot reach the registry");
            });
    assertThat(code).isEqualTo(1);
  }
}
