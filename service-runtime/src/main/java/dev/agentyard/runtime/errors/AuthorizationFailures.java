package dev.agentyard.runtime.errors;

import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * Says, in one line an operator can act on, what a service was refused by the cluster: which topic,
 * group or transactional id, which operation, and as which principal — so a missing ACL reads as
 * "grant this", not as a stack trace. Authorization and authentication errors are {@link
 * ErrorKind#FATAL}: the service stops (retrying would change nothing until someone grants it) and
 * commits nothing further.
 *
 * <p>Kafka's exceptions name the resource but not the operation; the operation is read from where
 * the refusal was met: a consumer's fetch or offset fetch is READ, a producer's send or transaction
 * is WRITE, anything else (metadata, an admin call) DESCRIBE.
 */
public final class AuthorizationFailures {

  private static final Pattern JAAS_USERNAME = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

  private AuthorizationFailures() {}

  /** A failure the cluster's refusal caused; its message is the line {@link #explain} made. */
  public static final class Refused extends IllegalStateException {
    Refused(String line, Throwable cause) {
      super(line, cause);
    }
  }

  /**
   * {@code error} wrapped as a {@link Refused} naming what to grant, as whom, when it is a refusal
   * by the cluster; else {@code error} itself.
   */
  public static RuntimeException explained(
      RuntimeException error, String service, String principal) {
    return explain(error, service, principal)
        .<RuntimeException>map(line -> new Refused(line, error))
        .orElse(error);
  }

  /** The principal a SCRAM or PLAIN login names ({@code User:<name>}), if the JAAS line has one. */
  public static Optional<String> principal(Object jaasConfig) {
    if (jaasConfig == null) {
      return Optional.empty();
    }
    Matcher m = JAAS_USERNAME.matcher(jaasConfig.toString());
    return m.find() ? Optional.of("User:" + m.group(1)) : Optional.empty();
  }

  /**
   * One line naming what was refused, when {@code error} (or a cause) is an authorization or
   * authentication failure; empty otherwise.
   *
   * @param service the service's name
   * @param principal who it connects as ({@code User:name}), or a description when unknown
   */
  public static Optional<String> explain(Throwable error, String service, String principal) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String what = null;
      if (t instanceof TopicAuthorizationException e) {
        what = operation(t) + " topic " + String.join(", ", new TreeSet<>(e.unauthorizedTopics()));
      } else if (t instanceof GroupAuthorizationException e) {
        what = "READ group " + (e.groupId() != null ? e.groupId() : "(" + e.getMessage() + ")");
      } else if (t instanceof TransactionalIdAuthorizationException) {
        what = "WRITE transactional id (" + t.getMessage() + ")";
      } else if (t instanceof ClusterAuthorizationException) {
        what = "perform a cluster operation (" + t.getMessage() + ")";
      } else if (t instanceof AuthenticationException) {
        return Optional.of(
            service
                + " could not authenticate as "
                + principal
                + ": "
                + t.getMessage()
                + " — check its SASL credentials and truststore; stopping");
      }
      if (what != null) {
        return Optional.of(
            service
                + " is not authorized to "
                + what
                + " as "
                + principal
                + " — grant that ACL (deploy/k8s/users.yaml lists each service's) and start it"
                + " again; stopping without writing anything further");
      }
    }
    return Optional.empty();
  }

  /**
   * READ when a consumer met the refusal, WRITE when a producer did, DESCRIBE when an admin client
   * did; else what the message says, or "READ or DESCRIBE" (a consumer needs both) when it says
   * nothing.
   */
  private static String operation(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      for (StackTraceElement f : c.getStackTrace()) {
        String cls = f.getClassName();
        if (cls.startsWith("org.apache.kafka.clients.consumer.")) {
          return "READ";
        }
        if (cls.startsWith("org.apache.kafka.clients.producer.")) {
          return "WRITE";
        }
        if (cls.startsWith("org.apache.kafka.clients.admin.")) {
          return "DESCRIBE";
        }
      }
    }
    String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
    if (m.contains("describe")) {
      return "DESCRIBE"; // a service's own check of its topics says so
    }
    if (m.contains("read")) {
      return "READ";
    }
    if (m.contains("write") || m.contains("produce")) {
      return "WRITE";
    }
    return "READ or DESCRIBE";
  }
}
