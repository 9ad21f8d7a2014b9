package dev.agentyard.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry 3.x from its ready-built distribution (unpacked from Maven Central by the
 * local-infra build), run as a child JVM bound to 127.0.0.1. Tests use free ports and in-memory
 * storage ({@link #start()}); the local stack a fixed port and an H2 database file in its data
 * directory, so schema ids stay valid for the records kept in the broker's data directory. Only its
 * Confluent-compatible API ({@code /apis/ccompat/v7}) is used. Default compatibility is set to
 * BACKWARD, as production registries run.
 *
 * <p>The child never outlives its parent: it is started under a small shell watchdog that kills it
 * when this JVM is gone, even after a SIGKILL, and a shutdown hook stops it on a normal exit.
 */
public final class ApicurioRegistry implements AutoCloseable {

  /**
   * How to run the registry.
   *
   * @param port HTTP port (0 picks a free one)
   * @param databaseDir where its H2 database file lives; null keeps everything in memory
   * @param logFile where the child's output goes
   */
  public record Options(int port, Path databaseDir, Path logFile, Optional<Security> security) {

    public Options(int port, Path databaseDir, Path logFile) {
      this(port, databaseDir, logFile, Optional.empty());
    }

    /** Free port, in memory, log under {@code target/}. */
    public static Options forTests() {
      return new Options(0, null, null);
    }

    /** The same, secured. */
    public Options secured(Security s) {
      return new Options(port, databaseDir, logFile, Optional.of(s));
    }
  }

  /**
   * The registry behind TLS and authentication: HTTPS only (plain HTTP off), its certificate from
   * {@code certificates} ({@code CN=registry}, signed by their CA), and HTTP basic authentication
   * on every path for the given users (Quarkus' embedded user realm, which Apicurio's distribution
   * carries). The settings, passwords included, go to the child in a owner-only file ({@code
   * smallrye.config.locations}), never on its command line. Health stays on the management port
   * (127.0.0.1), without credentials.
   *
   * @param admin the user this class sets the default compatibility as (one of {@code users})
   * @param users user name to password
   */
  public record Security(LocalCertificates certificates, String admin, Map<String, String> users) {
    public Security {
      users = Map.copyOf(users);
      if (!users.containsKey(admin)) {
        throw new IllegalArgumentException("the admin user " + admin + " is not among the users");
      }
    }

    /**
     * The registry client settings (Confluent's names) of one of the users: basic authentication,
     * the CA as PEM. The URL is the registry's.
     */
    public Map<String, Object> clientSettings(String user) {
      return Map.of(
          "schema.registry.basic.auth.credentials.source",
          "USER_INFO",
          "schema.registry.basic.auth.user.info",
          user + ":" + users.get(user),
          "schema.registry.ssl.truststore.location",
          certificates.caPem().toString(),
          "schema.registry.ssl.truststore.type",
          "PEM");
    }

    @Override
    public String toString() {
      return "Security{users=" + new java.util.TreeSet<>(users.keySet()) + ", passwords=[hidden]}";
    }
  }

  private static final Logger log = LoggerFactory.getLogger(ApicurioRegistry.class);
  public static final String CCOMPAT_PATH = "/apis/ccompat/v7";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final String url;
  private final Path logFile;
  private final Thread shutdownHook;

  private final URI ready;
  private final HttpClient admin;
  private final String adminAuth;

  private ApicurioRegistry(
      Process process, String url, Path logFile, URI ready, HttpClient admin, String adminAuth) {
    this.process = process;
    this.url = url;
    this.logFile = logFile;
    this.ready = ready;
    this.admin = admin;
    this.adminAuth = adminAuth;
    this.shutdownHook = new Thread(this::stopProcess, "agentyard-apicurio-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** The unpacked distribution, as recorded by the test-support build. */
  public static Path distribution() {
    return Watchdog.installed("AGENTYARD_APICURIO_HOME", "apicurio.home");
  }

  /** A test registry: free port, in memory. */
  public static ApicurioRegistry start() {
    return start(Options.forTests());
  }

  /** Starts the registry and waits until its Confluent-compatible API answers. */
  public static ApicurioRegistry start(Options options) {
    Path home = distribution();
    Path jar = home.resolve("quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "Apicurio Registry distribution not found at "
              + home
              + ": build local/infra first (./mvnw -pl local/infra package) or set AGENTYARD_APICURIO_HOME");
    }
    int httpPort = options.port() == 0 ? Ports.pick() : options.port();
    if (options.port() != 0 && !Ports.isFree(httpPort)) {
      throw new IllegalStateException(
          "port "
              + httpPort
              + " is in use: another registry? Point at it with its URL, or pick "
              + "another port");
    }
    int mgmtPort = Ports.pick();
    Path logFile =
        (options.logFile() != null
                ? options.logFile()
                : Path.of("target", "apicurio-registry-" + httpPort + ".log"))
            .toAbsolutePath();
    List<String> javaCmd =
        new ArrayList<>(
            List.of(
                javaBinary(),
                "-Xms64m",
                "-Xmx512m",
                // Quick start matters more than peak speed for a test registry.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + mgmtPort,
                "-Dquarkus.otel.sdk.disabled=true"));
    if (options.databaseDir() != null) {
      try {
        Files.createDirectories(options.databaseDir());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + options.databaseDir(), e);
      }
      // H2 in a file: schema ids survive restarts, as the records that carry them do
      javaCmd.add(
          "-Dapicurio.datasource.url=jdbc:h2:file:"
              + options.databaseDir().toAbsolutePath().resolve("registry"));
    }
    String scheme = "http";
    HttpClient admin = HttpClient.newHttpClient();
    String adminAuth = null;
    if (options.security().isPresent()) {
      Security sec = options.security().get();
      Path settings = secureSettings(sec, httpPort, logFile);
      javaCmd.add("-Dsmallrye.config.locations=" + settings);
      scheme = "https";
      admin = HttpClient.newBuilder().sslContext(trusting(sec.certificates())).build();
      adminAuth =
          "Basic "
              + java.util.Base64.getEncoder()
                  .encodeToString(
                      (sec.admin() + ":" + sec.users().get(sec.admin()))
                          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    javaCmd.addAll(List.of("-jar", jar.toString()));
    Process p = Watchdog.start("apicurio", javaCmd, home, logFile);
    String base = scheme + "://127.0.0.1:" + httpPort + CCOMPAT_PATH;
    ApicurioRegistry registry =
        new ApicurioRegistry(
            p,
            base,
            logFile,
            URI.create("http://127.0.0.1:" + mgmtPort + "/health/ready"),
            admin,
            adminAuth);
    long t0 = System.nanoTime();
    try {
      registry.awaitReady();
      registry.putOnceListening("/config", "{\"compatibility\":\"BACKWARD\"}");
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    log.info(
        "Apicurio Registry ready at {} in {} ms (log: {})",
        base,
        (System.nanoTime() - t0) / 1_000_000,
        logFile);
    return registry;
  }

  private void awaitReady() {
    Watchdog.awaitOk("Apicurio Registry", process, ready, STARTUP_TIMEOUT, logFile);
  }

  /** Writes the TLS and user settings to an owner-only file; returns its path. */
  private static Path secureSettings(Security sec, int port, Path logFile) {
    java.util.Properties p = new java.util.Properties();
    p.setProperty("quarkus.http.ssl-port", Integer.toString(port));
    p.setProperty("quarkus.http.port", Integer.toString(Ports.pick()));
    p.setProperty("quarkus.http.insecure-requests", "disabled");
    p.setProperty(
        "quarkus.http.ssl.certificate.key-store-file",
        sec.certificates().registryKeystore().toString());
    p.setProperty(
        "quarkus.http.ssl.certificate.key-store-password", sec.certificates().storePassword());
    p.setProperty("quarkus.http.auth.basic", "true");
    p.setProperty("quarkus.http.auth.permission.everything.paths", "/*");
    p.setProperty("quarkus.http.auth.permission.everything.policy", "authenticated");
    p.setProperty("quarkus.security.users.embedded.enabled", "true");
    p.setProperty("quarkus.security.users.embedded.plain-text", "true");
    sec.users().forEach((u, pw) -> p.setProperty("quarkus.security.users.embedded.users." + u, pw));
    // beside the certificates (owner-only), not beside the log, which is shipped and read
    Path file = sec.certificates().truststore().resolveSibling("registry-" + port + ".properties");
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      Files.createFile(
          file,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      try (var w = Files.newBufferedWriter(file)) {
        p.store(w, "Apicurio Registry: TLS and users (written at start; owner-only)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  /** A TLS context trusting the certificates' CA. */
  private static javax.net.ssl.SSLContext trusting(LocalCertificates certificates) {
    try (var in = Files.newInputStream(certificates.truststore())) {
      java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
      ks.load(in, certificates.storePassword().toCharArray());
      javax.net.ssl.TrustManagerFactory tmf =
          javax.net.ssl.TrustManagerFactory.getInstance(
              javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot read " + certificates.truststore(), e);
    }
  }

  /**
   * {@link #put}, retried while the registry's own port refuses connections: readiness is read on
   * the management port, which can answer before the main (HTTPS) listener accepts — a secured
   * registry's first PUT once met a refused connection a moment after it reported ready.
   */
  private void putOnceListening(String path, String json) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        put(path, json);
        return;
      } catch (UncheckedIOException e) {
        if (!(e.getCause() instanceof java.net.ConnectException)
            || System.nanoTime() > deadline
            || !process.isAlive()) {
          throw e;
        }
        try {
          TimeUnit.MILLISECONDS.sleep(200);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(ie);
        }
      }
    }
  }

  private void put(String path, String json) {
    try {
      HttpRequest.Builder req =
          HttpRequest.newBuilder(URI.create(url + path))
              .header("Content-Type", "application/vnd.schemaregistry.v1+json")
              .PUT(HttpRequest.BodyPublishers.ofString(json));
      if (adminAuth != null) {
        req.header("Authorization", adminAuth);
      }
      HttpResponse<String> r = admin.send(req.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            "PUT " + path + " answered " + r.statusCode() + ": " + r.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The java to run the registry with: this JVM's, which must be 21+ (Apicurio 3 needs it). */
  static String javaBinary() {
    if (Runtime.version().feature() < 21) {
      throw new IllegalStateException(
          "Apicurio Registry 3 needs Java 21+, this JVM is " + Runtime.version());
    }
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** Base URL of the Confluent-compatible API. */
  public String url() {
    return url;
  }

  /** The registry's log file. */
  public Path logFile() {
    return logFile;
  }

  /** Whether the child process is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  private void stopProcess() {
    Watchdog.stop(process);
  }

  @Override
  public void close() {
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }
}
