package dev.agentyard.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives the annotated test class an embedded cluster of its own, started before its first test and
 * stopped after its last: nothing another test class left in a topic (a record on a delay topic, an
 * open transaction, a consumer group's offsets) can reach it. {@link #brokers()} brokers beside one
 * controller; with three, topics get replication 3 and min ISR 2, for fault tests that stop
 * brokers. Without it, test classes share one single-node cluster per JVM.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface OwnCluster {
  int brokers() default 1;

  /** A cluster per test method rather than per class (each test a scenario of its own). */
  boolean perTest() default false;
}
