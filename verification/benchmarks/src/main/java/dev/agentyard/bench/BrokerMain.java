package dev.agentyard.bench;

import dev.agentyard.local.LocalKafkaBroker;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The benchmark's broker, in a child JVM: {@code BrokerMain <data dir> <port> <controller port>}.
 * Prints {@code READY <bootstrap servers>} once it serves, and stops cleanly on SIGTERM.
 */
public final class BrokerMain {

  private BrokerMain() {}

  public static void main(String[] args) throws InterruptedException {
    LocalKafkaBroker broker =
        LocalKafkaBroker.start(
            new LocalKafkaBroker.Options(
                Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), Map.of()));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  broker.close();
                  stopped.countDown();
                },
                "broker-shutdown"));
    System.out.println("READY " + broker.bootstrapServers());
    System.out.flush();
    stopped.await();
  }
}
