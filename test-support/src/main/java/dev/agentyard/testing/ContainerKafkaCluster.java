package dev.agentyard.testing;

import java.util.Set;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** A Kafka broker in a container (apache/kafka, KRaft), used when a Docker engine is available. */
public final class ContainerKafkaCluster implements KafkaCluster {

  /** Image of the broker; override with {@code AGENTYARD_TEST_KAFKA_IMAGE}. */
  public static final String DEFAULT_IMAGE = "apache/kafka:4.1.0";

  private final KafkaContainer container;

  private ContainerKafkaCluster(KafkaContainer container) {
    this.container = container;
  }

  /** True when Testcontainers can reach a Docker engine. */
  public static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  @SuppressWarnings("resource")
  public static ContainerKafkaCluster start(String image) {
    KafkaContainer c =
        new KafkaContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"))
            .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
            .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
    c.start();
    return new ContainerKafkaCluster(c);
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public String kind() {
    return "container(" + container.getDockerImageName() + ")";
  }

  @Override
  public Set<Integer> brokerIds() {
    return Set.of(1);
  }

  @Override
  public void close() {
    container.stop();
  }
}
