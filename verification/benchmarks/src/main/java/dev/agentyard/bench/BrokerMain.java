package dev.agentyard.bench;

import dev.agentyard.local.LocalKafkaBroker;
import dev.agentyard.testing.EmbeddedKafkaCluster;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The benchmark's broker, in a child JVM: {@code BrokerMain <data dir> <port> <controller port>
 * [brokers]}. One broker is the project's single-node KRaft broker; more are a KRaft cluster of
 * that many brokers beside one controller (Kafka's own test kit, as the reliability suite runs it;
 * its ports are picked, its data in temporary directories), replication 3 and min ISR 2. Prints
 * {@code READY <bootstrap servers>} once it serves, and stops cleanly on SIGTERM.
 */
public final class BrokerMain {

  private BrokerMain() {}

  public static void main(String[] args) throws InterruptedException {
    int brokers = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    AutoCloseable broker;
    String bootstrap;
    if (brokers > 1) {
      EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(brokers);
      broker = cluster;
      bootstrap = cluster.bootstrapServers();
    } else {
      LocalKafkaBroker single =
          LocalKafkaBroker.start(
              new LocalKafkaBroker.Options(
                  Path.of(args[0]),
                  Integer.parseInt(args[1]),
                  Integer.parseInt(args[2]),
                  Map.of()));
      broker = single;
      bootstrap = single.bootstrapServers();
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    broker.close();
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                  stopped.countDown();
                },
                "broker-shutdown"));
    System.out.println("READY " + bootstrap);
    System.out.flush();
    stopped.await();
  }
}
