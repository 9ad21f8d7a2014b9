package dev.agentyard.schemas.topics;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * {@code topics [--bootstrap-server H:P] [--command-config FILE] [--replication-factor N] [--routes
 * a,b,c] [--validate-only]}: creates the catalogue's missing topics and reports drift.
 *
 * <p>Exit codes: 0 all topics as specified; 2 bad arguments; 3 drift or missing topics found; 1 the
 * cluster could not be reached or refused.
 */
public final class TopicCatalogueCommand {

  public static final int OK = 0;
  public static final int ERROR = 1;
  public static final int USAGE = 2;
  public static final int DRIFT = 3;

  private TopicCatalogueCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Map<String, String> opts = new HashMap<>();
    boolean validateOnly = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--validate-only")) {
        validateOnly = true;
      } else if (a.equals("--help") || a.equals("-h")) {
        out.println(usage());
        return OK;
      } else if (a.startsWith("--") && i + 1 < args.length) {
        opts.put(a.substring(2), args[++i]);
      } else {
        err.println("Unknown argument: " + a + "\n" + usage());
        return USAGE;
      }
    }
    Properties props = new Properties();
    String commandConfig = opts.remove("command-config");
    if (commandConfig != null) {
      try (InputStream in = Files.newInputStream(Path.of(commandConfig))) {
        props.load(in);
      } catch (IOException e) {
        err.println("Cannot read --command-config " + commandConfig + ": " + e.getMessage());
        return USAGE;
      }
    }
    props.put(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        opts.getOrDefault(
            "bootstrap-server",
            props.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092")));
    opts.remove("bootstrap-server");
    short rf;
    try {
      rf = Short.parseShort(opts.getOrDefault("replication-factor", "3"));
    } catch (NumberFormatException e) {
      err.println("--replication-factor must be a small whole number");
      return USAGE;
    }
    opts.remove("replication-factor");
    List<String> routes =
        opts.containsKey("routes")
            ? Arrays.stream(opts.remove("routes").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList()
            : Topics.DEFAULT_ROUTES;
    if (!opts.isEmpty()) {
      err.println("Unknown options: " + opts.keySet() + "\n" + usage());
      return USAGE;
    }
    List<TopicSpec> specs;
    try {
      specs = Topics.catalogue(routes);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return USAGE;
    }
    try (Admin admin = Admin.create(props)) {
      List<TopicProvisioner.TopicReport> reports =
          new TopicProvisioner(admin, rf).apply(specs, validateOnly);
      reports.forEach(out::println);
      long bad =
          reports.stream()
              .filter(
                  r ->
                      r.status() == TopicProvisioner.Status.DRIFTED
                          || r.status() == TopicProvisioner.Status.MISSING)
              .count();
      out.printf(
          "%d topics: %d created, %d up to date, %d drifted, %d missing%n",
          reports.size(),
          count(reports, TopicProvisioner.Status.CREATED),
          count(reports, TopicProvisioner.Status.UP_TO_DATE),
          count(reports, TopicProvisioner.Status.DRIFTED),
          count(reports, TopicProvisioner.Status.MISSING));
      return bad == 0 ? OK : DRIFT;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Throwable cause = e.getCause() == null ? e : e.getCause();
      err.println(
          "Topic provisioning failed: "
              + cause.getClass().getSimpleName()
              + ": "
              + cause.getMessage());
      return ERROR;
    }
  }

  private static long count(List<TopicProvisioner.TopicReport> reports, TopicProvisioner.Status s) {
    return reports.stream().filter(r -> r.status() == s).count();
  }

  static String usage() {
    return "usage: topics [--bootstrap-server HOST:PORT] [--command-config FILE] [--replication-factor N] "
        + "[--routes a,b,c] [--validate-only]";
  }
}
