package dev.agentyard.schemas.serde;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Serializer and deserializer settings, under Confluent's keys. Registry connection settings are
 * read separately by {@link dev.agentyard.schemas.registry.RegistryClientConfig} from the same map.
 */
public record AvroSerdeConfig(
    boolean autoRegisterSchemas,
    boolean useLatestVersion,
    boolean specificAvroReader,
    Optional<String> specificType,
    SubjectNameStrategy subjectNameStrategy) {

  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
  public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
  public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

  public static final boolean DEFAULT_AUTO_REGISTER_SCHEMAS = true;
  public static final boolean DEFAULT_USE_LATEST_VERSION = false;
  public static final boolean DEFAULT_SPECIFIC_AVRO_READER = false;

  public static AvroSerdeConfig fromMap(Map<String, ?> props, boolean isKey) {
    String strategyKey = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
    Object type = props.get(isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE);
    return new AvroSerdeConfig(
        bool(props, AUTO_REGISTER_SCHEMAS, DEFAULT_AUTO_REGISTER_SCHEMAS),
        bool(props, USE_LATEST_VERSION, DEFAULT_USE_LATEST_VERSION),
        bool(props, SPECIFIC_AVRO_READER, DEFAULT_SPECIFIC_AVRO_READER),
        Optional.ofNullable(type)
            .map(t -> t instanceof Class<?> c ? c.getName() : t.toString().trim())
            .filter(s -> !s.isEmpty()),
        SubjectNameStrategy.fromConfig(strategyKey, props.get(strategyKey)));
  }

  private static boolean bool(Map<String, ?> props, String key, boolean dflt) {
    Object v = props.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v.toString().trim();
    if (s.equalsIgnoreCase("true")) {
      return true;
    }
    if (s.equalsIgnoreCase("false")) {
      return false;
    }
    throw new ConfigException(key, v, "must be true or false");
  }
}
