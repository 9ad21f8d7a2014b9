package dev.agentyard.testing;

import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension that hands integration tests a real {@link KafkaCluster} and a real {@link
 * SchemaRegistryEndpoint} as parameters, started once per test JVM and stopped after the last test.
 *
 * <p>Kafka, in order of preference: the cluster at {@code AGENTYARD_TEST_BOOTSTRAP}; a
 * Testcontainers broker when a Docker engine answers (unless {@code
 * AGENTYARD_TEST_KAFKA=embedded}); otherwise Kafka's own KRaft test kit in this JVM. The registry:
 * {@code AGENTYARD_TEST_REGISTRY_URL}, else Apicurio Registry as a child JVM.
 *
 * <pre>{@code
 * @ExtendWith(KafkaAndRegistryExtension.class)
 * class RoundTripIT {
 *   @Test void roundTrips(KafkaCluster kafka, SchemaRegistryEndpoint registry) { ... }
 * }
 * }</pre>
 */
public final class KafkaAndRegistryExtension implements ParameterResolver {

  private static final Logger log = LoggerFactory.getLogger(KafkaAndRegistryExtension.class);
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(KafkaAndRegistryExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
    Class<?> type = p.getParameter().getType();
    return type == KafkaCluster.class || type == SchemaRegistryEndpoint.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
    Class<?> type = p.getParameter().getType();
    if (type == SchemaRegistryEndpoint.class) {
      return ctx.getRoot()
          .getStore(NS)
          .getOrComputeIfAbsent(
              "registry", k -> startRegistry(System.getenv()), SchemaRegistryEndpoint.class);
    }
    OwnCluster own = ctx.getRequiredTestClass().getAnnotation(OwnCluster.class);
    if (own != null) {
      // Own cluster per test class (or per test), closed with it.
      ExtensionContext scope = own.perTest() ? ctx : classContext(ctx);
      return scope
          .getStore(NS)
          .getOrComputeIfAbsent(
              "kafka-own", k -> EmbeddedKafkaCluster.start(own.brokers()), KafkaCluster.class);
    }
    return ctx.getRoot()
        .getStore(NS)
        .getOrComputeIfAbsent("kafka", k -> startKafka(System.getenv()), KafkaCluster.class);
  }

  private static ExtensionContext classContext(ExtensionContext ctx) {
    ExtensionContext c = ctx;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  static KafkaCluster startKafka(Map<String, String> env) {
    String external = env.get("AGENTYARD_TEST_BOOTSTRAP");
    if (external != null && !external.isBlank()) {
      log.info("Integration tests use the external Kafka cluster at {}", external);
      return new ExternalKafkaCluster(external.trim(), env);
    }
    String mode = env.getOrDefault("AGENTYARD_TEST_KAFKA", "auto");
    if (!mode.equals("embedded") && ContainerKafkaCluster.dockerAvailable()) {
      String image =
          env.getOrDefault("AGENTYARD_TEST_KAFKA_IMAGE", ContainerKafkaCluster.DEFAULT_IMAGE);
      log.info("Docker is available: integration tests use a Testcontainers broker ({})", image);
      return ContainerKafkaCluster.start(image);
    }
    if (mode.equals("docker")) {
      throw new ParameterResolutionException(
          "AGENTYARD_TEST_KAFKA=docker but no Docker engine answers");
    }
    log.info("No Docker engine: integration tests use an embedded KRaft broker");
    return EmbeddedKafkaCluster.start(1);
  }

  static SchemaRegistryEndpoint startRegistry(Map<String, String> env) {
    String external = env.get("AGENTYARD_TEST_REGISTRY_URL");
    if (external != null && !external.isBlank()) {
      log.info("Integration tests use the external schema registry at {}", external);
      return new ExternalSchemaRegistry(external.trim());
    }
    return ApicurioEndpoint.start();
  }
}
