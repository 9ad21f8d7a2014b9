package dev.agentyard.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentyard.testing.MutableClock;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class CachedSchemaRegistryClientTest {

  private static Schema schema(String name) {
    return SchemaBuilder.record(name).fields().requiredString("id").endRecord();
  }

  @Test
  void asksTheRegistryOnceEachWay() {
    try (var server = new RecordingRegistryServer().then(200, "{\"id\":4}")) {
      var rest =
          new RestSchemaRegistryClient(
              RegistryClientConfig.fromMap(Map.of("schema.registry.url", server.url())));
      var cached = new CachedSchemaRegistryClient(rest, 10, -1, Clock.systemUTC());
      Schema s = schema("A");
      assertThat(cached.register("t-value", s)).isEqualTo(4);
      assertThat(cached.register("t-value", s)).isEqualTo(4);
      assertThat(cached.lookupId("t-value", s)).isEqualTo(4);
      assertThat(cached.getById(4)).isEqualTo(s); // learned when registering
      assertThat(server.requests).hasSize(1);
    }
  }

  @Test
  void concurrentMissesOnTheSameSchemaRegisterItOnce() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    InMemorySchemaRegistryClient memory = new InMemorySchemaRegistryClient();
    SchemaRegistryClient slow =
        (SchemaRegistryClient)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {SchemaRegistryClient.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("register")) {
                    calls.incrementAndGet();
                    assertThat(release.await(10, TimeUnit.SECONDS))
                        .isTrue(); // the registry is slow
                  }
                  return method.invoke(memory, args);
                });
    var cached = new CachedSchemaRegistryClient(slow, 10, -1, Clock.systemUTC());
    Schema s = schema("A");
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> ids = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        ids.add(pool.submit(() -> cached.register("t-value", s)));
      }
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> calls.get() >= 1);
      release.countDown();
      Set<Integer> distinct = new HashSet<>();
      for (var f : ids) {
        distinct.add(f.get(10, TimeUnit.SECONDS));
      }
      assertThat(distinct).hasSize(1);
    }
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void boundsSchemasPerSubject() {
    try (var server = new RecordingRegistryServer()) {
      var rest =
          new RestSchemaRegistryClient(
              RegistryClientConfig.fromMap(Map.of("schema.registry.url", server.url())));
      var cached = new CachedSchemaRegistryClient(rest, 2, -1, Clock.systemUTC());
      cached.register("t-value", schema("A"));
      cached.register("t-value", schema("B"));
      cached.register("t-value", schema("C")); // evicts A
      cached.register("t-value", schema("A"));
      assertThat(server.requests).hasSize(4);
    }
  }

  @Test
  void latestVersionExpiresAfterItsTtl() {
    Schema s = schema("A");
    String latest =
        "{\"subject\":\"t-value\",\"version\":1,\"id\":4,\"schema\":"
            + new TextNode(s.toString())
            + "}";
    try (var server = new RecordingRegistryServer().otherwise(200, latest)) {
      var rest =
          new RestSchemaRegistryClient(
              RegistryClientConfig.fromMap(Map.of("schema.registry.url", server.url())));
      MutableClock clock = new MutableClock(Instant.parse("2026-11-21T00:00:00Z"));
      var cached = new CachedSchemaRegistryClient(rest, 10, 60, clock);
      cached.latestVersion("t-value");
      cached.latestVersion("t-value");
      assertThat(server.requests).hasSize(1);
      clock.advance(Duration.ofSeconds(61));
      cached.latestVersion("t-value");
      assertThat(server.requests).hasSize(2);
    }
  }
}
