package dev.agentyard.router.learn;

import dev.agentyard.avro.ClassifierModel;
import dev.agentyard.router.RouterMetrics;
import dev.agentyard.router.classify.ActiveClassifier;
import dev.agentyard.router.classify.DocumentClassifier;
import dev.agentyard.runtime.kafka.TopicFollower;
import dev.agentyard.schemas.topics.Topics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's classifier registry on the compacted {@code agent.router.models.v1}: {@code
 * model:<version>} for every model trained (with the gate's decision), {@code current} for the
 * model the routers run, bytes included. A router follows {@code current} and swaps the model it
 * classifies with when a promotion or rollback writes it.
 */
public final class ClassifierRegistry {

  /** Key of the model the routers run. */
  public static final String CURRENT = "current";

  /** Encoding of the model bytes: an Apache OpenNLP {@code DoccatModel} as it serialises itself. */
  public static final String FORMAT = "opennlp-doccat";

  private static final Logger log = LoggerFactory.getLogger(ClassifierRegistry.class);

  private ClassifierRegistry() {}

  /** Key of one model's entry. */
  public static String modelKey(String version) {
    return "model:" + version;
  }

  /** A model's bytes, for {@link ClassifierModel#getModel()}. */
  public static ByteBuffer bytes(DocumentClassifier c) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      c.save(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ByteBuffer.wrap(out.toByteArray());
  }

  /** The classifier an entry holds. */
  public static DocumentClassifier classifier(ClassifierModel m) throws IOException {
    if (!FORMAT.equals(m.getFormat())) {
      throw new IOException(
          "model " + m.getVersion() + " is in format '" + m.getFormat() + "', not " + FORMAT);
    }
    ByteBuffer b = m.getModel().duplicate();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return DocumentClassifier.load(new ByteArrayInputStream(bytes), m.getVersion());
  }

  /**
   * A follower (not yet started) that puts the registry's {@code current} model in force. An entry
   * it cannot read is logged and skipped: the model in force stays (a registry record must never
   * stop routing).
   */
  public static TopicFollower follower(
      String name,
      Consumer<byte[], byte[]> consumer,
      Deserializer<ClassifierModel> reader,
      ActiveClassifier active,
      RouterMetrics metrics) {
    return new TopicFollower(
        name,
        consumer,
        Topics.CLASSIFIER_MODELS.name(),
        null,
        r -> {
          String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
          if (!CURRENT.equals(key) || r.value() == null) {
            return;
          }
          try {
            ClassifierModel m = reader.deserialize(r.topic(), r.headers(), r.value());
            if (m.getVersion().equals(active.get().version())) {
              return;
            }
            DocumentClassifier next = classifier(m);
            DocumentClassifier before = active.replace(next);
            metrics.classifierInForce(next.version());
            log.info(
                "Classifier {} in force (was {}): {} by {} ({})",
                next.version(),
                before.version(),
                m.getAction(),
                m.getActor(),
                m.getReason());
          } catch (IOException | RuntimeException e) {
            log.error(
                "Unreadable classifier registry entry at {}@{}; the classifier in force ({}) stays",
                r.partition(),
                r.offset(),
                active.get().version(),
                e);
          }
        });
  }
}
