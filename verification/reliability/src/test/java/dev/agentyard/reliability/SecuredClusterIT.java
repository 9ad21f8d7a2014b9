package dev.agentyard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.schemas.topics.TopicSpec;
import dev.agentyard.schemas.topics.Topics;
import dev.agentyard.stack.DeployManifests;
import dev.agentyard.stack.SecureStack;
import dev.agentyard.testing.ApicurioEndpoint;
import dev.agentyard.testing.SecuredKafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 10: the pipeline on a secured cluster, as a lender runs it — SASL_SSL with
 * SCRAM-SHA-512, TLS from a CA made at test time with the JDK's keytool, the standard authorizer
 * denying what no ACL allows, one principal per service with exactly the ACLs {@code
 * deploy/k8s/users.yaml} grants (both made by {@link DeployManifests} from the same catalogue), and
 * a super user only for provisioning and for the test's own reading. Each service reads its SCRAM
 * password from a file through Kafka's own {@code FileConfigProvider} and trust the CA from a PEM
 * file, as {@code deploy/k8s} configures them (there the login comes from Strimzi's user secret).
 * The sample workload must end with every task accounted for once and no secret (SCRAM passwords,
 * store password included) in any log or record; then a worker started without one of its grants
 * must stop by itself with a message naming the topic and the operation it lacks.
 */
@Tag("reliability")
class SecuredClusterIT {

  /** The pipeline's service names and the principals (Strimzi users) they run as. */
  static final Map<String, String> PRINCIPALS =
      Map.of(
          "router", "router-service",
          "workers", "agent-workers",
          "cost", "cost-aggregator",
          "dlq", "dlq-handler");

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void eachServiceWorksAsItsOwnPrincipalAndAServiceWithoutAGrantStopsNamingIt() throws Exception {
    Path dir = ReliabilityReport.scenarioDir("secured-cluster");
    Map<String, String> registryUsers = new LinkedHashMap<>();
    registryUsers.put(REGISTRY_ADMIN, SecuredKafkaCluster.password());
    PRINCIPALS.values().forEach(u -> registryUsers.put(u, SecuredKafkaCluster.password()));
    try (SecuredKafkaCluster kafka = SecuredKafkaCluster.start(dir.resolve("cluster"));
        ApicurioEndpoint registry =
            ApicurioEndpoint.startSecured(
                kafka.security().certificates(),
                REGISTRY_ADMIN,
                registryUsers,
                dir.resolve("logs/registry.log"))) {
      assertThat(registry.url()).startsWith("https://");
      assertThat(anonymous(registry.url() + "/subjects", kafka.security().certificates()))
          .as("the registry refuses a request without credentials")
          .isEqualTo(401);
      List<TopicSpec> catalogue = Topics.catalogue(Topics.DEFAULT_ROUTES, Pipeline.RETRY_DELAYS);
      Map<String, DeployManifests.Access> access = new HashMap<>();
      DeployManifests.access(catalogue).forEach(a -> access.put(a.service(), a));
      Map<String, String> passwords = new LinkedHashMap<>();
      Map<String, Map<String, String>> overrides = new HashMap<>();
      try (Admin admin = kafka.admin()) {
        for (var e : PRINCIPALS.entrySet()) {
          String user = e.getValue();
          passwords.put(user, SecuredKafkaCluster.password());
          SecureStack.grant(admin, user, passwords.get(user), access.get(user));
          // the password in a file of its own, read by Kafka's FileConfigProvider
          Path file = dir.resolve("secrets/kafka-" + user + ".properties");
          Files.createDirectories(file.getParent());
          Files.writeString(file, "password=" + passwords.get(user) + "\n");
          Map<String, String> c =
              new HashMap<>(
                  SecureStack.kafkaSettings(user, file, kafka.security().certificates().caPem()));
          // the registry over TLS as the same user, its password from the environment
          c.put("schema.registry.basic.auth.credentials.source", "USER_INFO");
          c.put(
              "AGENTYARD_SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO",
              user + ":" + registryUsers.get(user));
          c.put(
              "schema.registry.ssl.truststore.location",
              kafka.security().certificates().caPem().toString());
          c.put("schema.registry.ssl.truststore.type", "PEM");
          overrides.put(e.getKey(), c);
        }
      }
      try (Pipeline p =
              Pipeline.start("secured-cluster", kafka, registry, dir, Map.of(), overrides);
          ScenarioRun run = ScenarioRun.begin(p, 8)) {
        passwords.forEach((user, pw) -> p.secrets().put("SCRAM password of " + user, pw));
        registryUsers.forEach((user, pw) -> p.secrets().put("registry password of " + user, pw));
        p.secrets().put("super user's SCRAM password", kafka.security().superUserPassword());
        p.secrets().put("TLS store password", kafka.security().certificates().storePassword());
        run.publish(40);
        run.verify(
                "8 applications at 40 tasks/s, secured cluster (SASL_SSL, SCRAM-SHA-512, ACLs)",
                "none: each service as its own principal with the ACLs deploy/k8s grants",
                Duration.ofMinutes(4))
            .assertHeld();

        // one grant taken away: the workers may no longer read the income route
        String route = Topics.route("income").name();
        try (Admin admin = kafka.admin()) {
          admin
              .deleteAcls(
                  List.of(
                      new AclBindingFilter(
                          new ResourcePattern(ResourceType.TOPIC, route, PatternType.LITERAL)
                              .toFilter(),
                          new AccessControlEntryFilter(
                              "User:agent-workers",
                              null,
                              AclOperation.ANY,
                              AclPermissionType.ANY))))
              .all()
              .get(30, TimeUnit.SECONDS);
        }
        Service denied = p.workerService();
        denied.start();
        org.awaitility.Awaitility.await("the worker without its grant stops by itself")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> !denied.isAlive());
        String log = Files.readString(denied.log());
        assertThat(denied.isAlive()).as("stopped by itself; log: %s", denied.log()).isFalse();
        assertThat(log)
            .as("names the topic and the operation it lacks")
            .containsPattern(
                "not authorized to (READ|DESCRIBE)[^\\n]*topic " + route.replace(".", "\\."))
            .contains("User:agent-workers");
        run.note(
            "a worker started without its grant on " + route,
            "stopped by itself: "
                + log.lines()
                    .filter(l -> l.toLowerCase(Locale.ROOT).contains("not authorized to"))
                    .findFirst()
                    .orElse("?"));
        assertThat(run.scanSecrets()).as("secrets after the refused start").isEmpty();
      }
    }
  }

  static final String REGISTRY_ADMIN = "registry-admin";

  /** The status of a GET without credentials (trusting the test CA, so TLS is not the refusal). */
  static int anonymous(String url, dev.agentyard.local.LocalCertificates certificates)
      throws Exception {
    // (trusting the CA as the services' registry client does)
    javax.net.ssl.SSLContext tls =
        dev.agentyard.schemas.registry.RegistryClientConfig.fromMap(
                Map.of(
                    "schema.registry.url",
                    url,
                    "schema.registry.ssl.truststore.location",
                    certificates.caPem().toString(),
                    "schema.registry.ssl.truststore.type",
                    "PEM"))
            .sslContext()
            .orElseThrow();
    return java.net.http.HttpClient.newBuilder()
        .sslContext(tls)
        .build()
        .send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
