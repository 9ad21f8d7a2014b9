package dev.agentyard.testing;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import kafka.server.BrokerServer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real KRaft cluster in this JVM, built from Kafka's own production classes through {@link
 * KafkaClusterTestKit}. Single mode: one combined controller+broker node. Multi-broker mode: one
 * dedicated controller and N brokers (the test kit's combined multi-node mode is known to fail).
 */
public final class EmbeddedKafkaCluster implements KafkaCluster {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

  private final KafkaClusterTestKit kit;
  private final int brokers;

  private EmbeddedKafkaCluster(KafkaClusterTestKit kit, int brokers) {
    this.kit = kit;
    this.brokers = brokers;
  }

  /** Starts a cluster with the given number of brokers and waits until they are ready. */
  public static EmbeddedKafkaCluster start(int brokers) {
    if (brokers < 1) {
      throw new IllegalArgumentException("brokers must be at least 1");
    }
    boolean single = brokers == 1;
    String rf = Integer.toString(Math.min(brokers, 3));
    String minIsr = single ? "1" : "2";
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(single)
            .setNumControllerNodes(1)
            .setNumBrokerNodes(brokers)
            .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
            .build();
    try {
      KafkaClusterTestKit kit =
          new KafkaClusterTestKit.Builder(nodes)
              // Internal topics sized for the cluster: RF 1 on a single node, else 3 with min ISR
              // 2.
              .setConfigProp("offsets.topic.replication.factor", rf)
              .setConfigProp("offsets.topic.num.partitions", "10")
              .setConfigProp("transaction.state.log.replication.factor", rf)
              .setConfigProp("transaction.state.log.min.isr", minIsr)
              .setConfigProp("transaction.state.log.num.partitions", "10")
              .setConfigProp("share.coordinator.state.topic.replication.factor", rf)
              .setConfigProp("share.coordinator.state.topic.min.isr", minIsr)
              .setConfigProp("default.replication.factor", rf)
              .setConfigProp("min.insync.replicas", minIsr)
              // Tests join groups one after another: do not wait for more members.
              .setConfigProp("group.initial.rebalance.delay.ms", "0")
              .setConfigProp("auto.create.topics.enable", "false")
              // Serve both group protocols, as a production 4.x broker does.
              .setConfigProp("group.coordinator.rebalance.protocols", "classic,consumer,streams")
              .setDeleteOnClose(true)
              .build();
      long t0 = System.nanoTime();
      kit.format();
      kit.startup();
      kit.waitForReadyBrokers();
      log.info(
          "Embedded KRaft cluster ({} broker(s)) ready at {} in {} ms",
          brokers,
          kit.bootstrapServers(),
          (System.nanoTime() - t0) / 1_000_000);
      return new EmbeddedKafkaCluster(kit, brokers);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot start the embedded Kafka cluster: " + e.getMessage(), e);
    }
  }

  @Override
  public String bootstrapServers() {
    return kit.bootstrapServers();
  }

  @Override
  public String kind() {
    return "embedded(" + brokers + ")";
  }

  @Override
  public Set<Integer> brokerIds() {
    return new TreeSet<>(kit.brokers().keySet());
  }

  @Override
  public void stopBroker(int id) {
    BrokerServer b = broker(id);
    b.shutdown();
    b.awaitShutdown();
  }

  @Override
  public void startBroker(int id) {
    broker(id).startup();
  }

  private BrokerServer broker(int id) {
    Map<Integer, BrokerServer> all = kit.brokers();
    BrokerServer b = all.get(id);
    if (b == null) {
      throw new IllegalArgumentException("No broker " + id + "; brokers are " + all.keySet());
    }
    return b;
  }

  /** The underlying test kit, for fault tests that need more. */
  public KafkaClusterTestKit testKit() {
    return kit;
  }

  @Override
  public void close() {
    try {
      kit.close();
    } catch (Exception e) {
      log.warn("Embedded Kafka cluster did not close cleanly", e);
    }
  }
}
