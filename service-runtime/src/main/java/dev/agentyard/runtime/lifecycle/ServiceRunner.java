package dev.agentyard.runtime.lifecycle;

import dev.agentyard.runtime.config.Secrets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns a service's resources from start to shutdown: closes them in reverse order of registration,
 * once, from a named JVM shutdown hook or an explicit {@link #close()}.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   System.exit(ServiceRunner.runMain("router-service", () -> {
 *     ServiceRunner runner = new ServiceRunner("router-service");
 *     ... runner.register("consumer loop", loop) ...
 *     return runner;
 *   }));
 * }
 * }</pre>
 */
public final class ServiceRunner implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ServiceRunner.class);

  private record Resource(String name, AutoCloseable closeable) {}

  private final String service;
  private final Deque<Resource> resources = new ArrayDeque<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean closed;

  public ServiceRunner(String service) {
    this.service = service;
  }

  /** Registers a resource to close at shutdown (after everything registered later). */
  public synchronized <T extends AutoCloseable> T register(String name, T resource) {
    if (closed) {
      throw new IllegalStateException(service + " is shutting down; cannot register " + name);
    }
    resources.push(new Resource(name, resource));
    return resource;
  }

  /**
   * Installs the shutdown hook (thread {@code <service>-shutdown}) that closes everything on
   * SIGTERM / Ctrl-C.
   */
  public ServiceRunner installShutdownHook() {
    Runtime.getRuntime().addShutdownHook(new Thread(this::close, service + "-shutdown"));
    return this;
  }

  /** Blocks until the service has been closed. */
  public void awaitShutdown() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    Deque<Resource> toClose;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      toClose = new ArrayDeque<>(resources);
      resources.clear();
    }
    log.info("{} shutting down", service);
    for (Resource r : toClose) {
      try {
        r.closeable().close();
        log.info("{}: closed {}", service, r.name());
      } catch (Exception e) {
        log.warn("{}: {} did not close cleanly", service, r.name(), e);
      }
    }
    stopped.countDown();
    log.info("{} stopped", service);
  }

  /** Logs the effective configuration with secrets hidden. */
  public static void logConfig(String service, Map<String, ?> config) {
    log.info("{} configuration: {}", service, Secrets.mask(config));
  }

  /**
   * Runs a service's startup, then waits for shutdown. Returns the process exit code: 0 after a
   * clean shutdown, 1 when startup failed (logged).
   */
  public static int runMain(String service, Callable<ServiceRunner> startup) {
    ServiceRunner runner;
    try {
      runner = startup.call();
    } catch (Exception e) {
      log.error("{} failed to start: {}", service, e.getMessage(), e);
      return 1;
    }
    runner.installShutdownHook();
    try {
      runner.awaitShutdown();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runner.close();
      return 0;
    }
  }
}
