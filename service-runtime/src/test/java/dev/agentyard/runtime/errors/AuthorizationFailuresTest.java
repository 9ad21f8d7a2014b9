package dev.agentyard.runtime.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class AuthorizationFailuresTest {

  private static <T extends Throwable> T metIn(T e, String className) {
    e.setStackTrace(new StackTraceElement[] {new StackTraceElement(className, "x", null, 1)});
    return e;
  }

  @Test
  void aRefusedFetchNamesTheTopicReadAndThePrincipalThroughWrappers() {
    var refused =
        metIn(
            new TopicAuthorizationException("Not authorized", Set.of("agent.route.income.v1")),
            "org.apache.kafka.clients.consumer.internals.FetchCollector");
    assertThat(
            AuthorizationFailures.explain(
                new StreamsException(new CompletionException(refused)),
                "agent-workers",
                "User:agent-workers"))
        .hasValueSatisfying(
            line ->
                assertThat(line)
                    .startsWith(
                        "agent-workers is not authorized to READ topic agent.route.income.v1 as"
                            + " User:agent-workers")
                    .contains("deploy/k8s/users.yaml"));
  }

  @Test
  void aRefusedSendIsAWriteAndARefusedGroupARead() {
    var send =
        metIn(
            new TopicAuthorizationException("Not authorized", Set.of("agent.usage.v1")),
            "org.apache.kafka.clients.producer.internals.Sender");
    assertThat(AuthorizationFailures.explain(send, "s", "User:s"))
        .hasValueSatisfying(l -> assertThat(l).contains("to WRITE topic agent.usage.v1"));
    assertThat(
            AuthorizationFailures.explain(
                new GroupAuthorizationException("no", "agentyard-router"), "s", "User:s"))
        .hasValueSatisfying(l -> assertThat(l).contains("to READ group agentyard-router"));
  }

  @Test
  void aBadLoginSaysSoWithoutThePasswordAndOtherErrorsAreNotExplained() {
    assertThat(
            AuthorizationFailures.explain(
                new SaslAuthenticationException("Authentication failed during authentication"),
                "router-service",
                "User:router-service"))
        .hasValueSatisfying(
            l -> assertThat(l).contains("could not authenticate as User:router-service"));
    assertThat(AuthorizationFailures.explain(new IllegalStateException("x"), "s", "p")).isEmpty();
  }

  @Test
  void thePrincipalIsTheLoginsUserNameNeverItsPassword() {
    assertThat(
            AuthorizationFailures.principal(
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"agent-workers\" password=\"${file:/s/kafka.properties:password}\";"))
        .contains("User:agent-workers");
    assertThat(AuthorizationFailures.principal(null)).isEmpty();
  }
}
