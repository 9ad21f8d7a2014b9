package dev.agentyard.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives the annotated test class its own embedded cluster of one controller and {@link #brokers()}
 * brokers (replication 3, min ISR 2), for fault tests that stop brokers. Without it, tests share
 * one single-node cluster per JVM.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface MultiBrokerCluster {
  int brokers() default 3;
}
