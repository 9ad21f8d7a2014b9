package dev.agentyard.runtime.lifecycle;

import dev.agentyard.runtime.config.Secrets;
import dev.agentyard.runtime.errors.AuthorizationFailures;
import dev.agentyard.runtime.errors.SecretRedactor;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
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
  private volatile String failure;

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

  /**
   * Stops the service on an error nothing but a person can fix (a missing ACL, a bad credential):
   * logs {@code reason} once, closes everything on a thread of its own, and makes {@link #runMain}
   * return 2, so the orchestrator sees a failure rather than a clean stop.
   */
  public void fail(String reason) {
    synchronized (this) {
      if (failure != null) {
        return;
      }
      failure = reason;
    }
    log.error("{} stopping: {}", service, reason);
    Thread.ofPlatform().name(service + "-stop").start(this::close);
  }

  /**
   * {@link #fail} with a line that names what was refused when {@code error} is an authorization or
   * authentication failure ({@link AuthorizationFailures}), else the error itself.
   *
   * @param principal who the service connects as ({@code User:name}) or a description
   */
  public void fail(Throwable error, String principal) {
    fail(
        AuthorizationFailures.explain(error, service, principal)
            .orElse("fatal error: " + SecretRedactor.redact(String.valueOf(error))));
  }

  /** Why the service stopped itself, if it did. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /** Logs the effective configuration with secrets hidden. */
  public static void logConfig(String service, Map<String, ?> config) {
    log.info("{} configuration: {}", service, Secrets.mask(config));
  }

  /**
   * Runs a service's startup, then waits for shutdown. Returns the process exit code: 0 after a
   * clean shutdown, 1 when startup failed, 2 when the service stopped itself ({@link #fail}).
   */
  public static int runMain(String service, Callable<ServiceRunner> startup) {
    ServiceRunner runner;
    try {
      runner = startup.call();
    } catch (Exception e) {
      if (!(e instanceof AuthorizationFailures.Refused)) {
        AuthorizationFailures.explain(e, service, "its configured principal")
            .ifPresent(line -> log.error("{} failed to start: {}", service, line));
      }
      log.error("{} failed to start: {}", service, e.getMessage(), e);
      return 1;
    }
    runner.installShutdownHook();
    try {
      runner.awaitShutdown();
      return runner.failure == null ? 0 : 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runner.close();
      return 0;
    }
  }
}
