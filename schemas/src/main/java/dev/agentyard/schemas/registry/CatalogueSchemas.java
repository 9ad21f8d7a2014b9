package dev.agentyard.schemas.registry;

import dev.agentyard.schemas.topics.TopicSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * Registers the value schema of every Avro topic of the catalogue under its topic's subject ({@code
 * <topic>-value}, the default TopicNameStrategy), so a registry can be prepared before any producer
 * runs (and producers can run with {@code auto.register.schemas=false}).
 */
public final class CatalogueSchemas {

  private CatalogueSchemas() {}

  /** The subject and schema each Avro topic carries. */
  public static Map<String, Schema> subjects(List<TopicSpec> topics) {
    Map<String, Schema> out = new LinkedHashMap<>();
    for (TopicSpec t : topics) {
      t.valueType()
          .ifPresent(type -> out.put(t.name() + "-value", SpecificData.get().getSchema(type)));
    }
    return out;
  }

  /**
   * Registers each (an identical schema is a no-op in the registry) and returns subject → schema
   * id.
   */
  public static Map<String, Integer> register(SchemaRegistryClient client, List<TopicSpec> topics) {
    Map<String, Integer> ids = new LinkedHashMap<>();
    subjects(topics)
        .forEach((subject, schema) -> ids.put(subject, client.register(subject, schema)));
    return ids;
  }
}
