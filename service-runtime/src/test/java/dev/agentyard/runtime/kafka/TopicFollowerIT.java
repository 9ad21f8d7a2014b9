package dev.agentyard.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.testing.KafkaAndRegistryExtension;
import dev.agentyard.testing.KafkaCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The follower a worker reads task endings with: {@code sync} returns once everything committed to
 * the topic when it was called has been applied, and a transaction still open holds it at the last
 * stable offset: what the transaction wrote is applied only once it commits.
 */
@ExtendWith(KafkaAndRegistryExtension.class)
class TopicFollowerIT {

  private static TopicFollower follower(KafkaCluster kafka, String topic, Set<String> into) {
    Map<String, Object> c = new HashMap<>(kafka.clientProperties());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new TopicFollower(
            "follower-" + topic,
            new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
            topic,
            null,
            r -> into.add(new String(r.value(), StandardCharsets.UTF_8)))
        .start();
  }

  private static String topic(KafkaCluster kafka) throws Exception {
    String t = "follower-it-" + UUID.randomUUID().toString().substring(0, 8);
    try (Admin admin = kafka.admin()) {
      admin.createTopics(List.of(new NewTopic(t, 3, (short) 1))).all().get();
    }
    return t;
  }

  private static KafkaProducer<byte[], byte[]> producer(KafkaCluster kafka, String txnId) {
    Map<String, Object> p = new HashMap<>(kafka.clientProperties());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    if (txnId != null) {
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, txnId);
    }
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, String v) {
    return new ProducerRecord<>(
        topic, v.getBytes(StandardCharsets.UTF_8), v.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void syncReadsEverythingCommittedAndNothingOfAnOpenTransactionUntilItCommits(KafkaCluster kafka)
      throws Exception {
    String topic = topic(kafka);
    Set<String> seen = Collections.synchronizedSet(new java.util.HashSet<>());
    try (KafkaProducer<byte[], byte[]> plain = producer(kafka, null);
        KafkaProducer<byte[], byte[]> txn = producer(kafka, "follower-it-" + UUID.randomUUID());
        TopicFollower f = follower(kafka, topic, seen)) {
      assertThat(f.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
      txn.initTransactions();
      txn.beginTransaction();
      txn.send(record(topic, "in-open-transaction")).get();
      for (int i = 0; i < 20; i++) {
        plain.send(record(topic, "committed-" + i)).get();
      }

      assertThat(f.sync(Duration.ofSeconds(30))).isTrue();
      // everything before the open transaction is applied; the transaction and what follows it on
      // its partition wait at the last stable offset
      assertThat(seen).doesNotContain("in-open-transaction");

      txn.commitTransaction();
      assertThat(f.sync(Duration.ofSeconds(30))).isTrue();
      assertThat(seen).contains("in-open-transaction");
      for (int i = 0; i < 20; i++) {
        assertThat(seen).contains("committed-" + i);
      }
    }
  }

  @Test
  void syncAllNamesNoFollowerWhenEveryOneReachedItsEnd(KafkaCluster kafka) throws Exception {
    String a = topic(kafka);
    String b = topic(kafka);
    Set<String> seen = Collections.synchronizedSet(new java.util.HashSet<>());
    try (KafkaProducer<byte[], byte[]> plain = producer(kafka, null);
        TopicFollower fa = follower(kafka, a, seen);
        TopicFollower fb = follower(kafka, b, seen)) {
      plain.send(record(a, "a-1")).get();
      plain.send(record(b, "b-1")).get();
      assertThat(TopicFollower.syncAll(Map.of("a", fa, "b", fb), Duration.ofSeconds(30))).isEmpty();
      assertThat(seen).contains("a-1", "b-1");
    }
  }
}
