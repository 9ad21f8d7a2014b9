package dev.agentyard.schemas.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentyard.avro.TaskSubmitted;
import dev.agentyard.schemas.EventSchemas;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class SchemaEvolutionGuardTest {

  /** Surefire runs in the module directory. */
  private static final Path RELEASED = Path.of("released");

  @Test
  void everyCurrentSchemaIsBackwardCompatibleWithEveryReleasedVersion() {
    for (Class<? extends SpecificRecord> event : EventSchemas.EVENTS) {
      Schema current = EventSchemas.schemaOf(event);
      Map<String, Schema> released =
          SchemaEvolutionGuard.releasedVersions(RELEASED, current.getName());
      assertThat(released).as("released versions of %s", current.getName()).isNotEmpty();
      assertThat(SchemaEvolutionGuard.check(current, released)).as(current.getName()).isEmpty();
    }
  }

  @Test
  void noReleasedSchemaHasBeenDropped() {
    List<String> current =
        EventSchemas.EVENTS.stream().map(c -> EventSchemas.schemaOf(c).getName()).toList();
    assertThat(current).containsAll(SchemaEvolutionGuard.releasedRecords(RELEASED));
  }

  @Test
  void acceptsAddingAnOptionalFieldWithADefault() {
    Schema released = TaskSubmitted.getClassSchema();
    Schema changed =
        withExtraField(
            released,
            "{\"name\": \"priority\", \"type\": [\"null\", \"int\"], \"default\": null, \"doc\": \"optional priority\"}");
    assertThat(SchemaEvolutionGuard.check(changed, Map.of("v1.avsc", released))).isEmpty();
  }

  @Test
  void rejectsAddingARequiredFieldWithoutADefault() {
    Schema released = TaskSubmitted.getClassSchema();
    Schema changed =
        withExtraField(
            released,
            "{\"name\": \"priority\", \"type\": \"int\", \"doc\": \"required priority\"}");
    List<SchemaEvolutionGuard.Violation> violations =
        SchemaEvolutionGuard.check(changed, Map.of("v1.avsc", released));
    assertThat(violations)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.releasedVersion()).isEqualTo("v1.avsc");
              assertThat(v.description())
                  .contains("READER_FIELD_MISSING_DEFAULT")
                  .contains("priority");
            });
  }

  @Test
  void rejectsRemovingAnEnumSymbolWithoutADefault() {
    Schema released =
        new Schema.Parser().parse("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"B\"]}");
    Schema changed =
        new Schema.Parser().parse("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"]}");
    assertThat(SchemaEvolutionGuard.check(changed, Map.of("v1.avsc", released))).hasSize(1);
  }

  @Test
  void acceptsRemovingAnEnumSymbolWhenTheEnumHasADefault() {
    Schema released =
        new Schema.Parser()
            .parse(
                "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"U\",\"A\",\"B\"],\"default\":\"U\"}");
    Schema changed =
        new Schema.Parser()
            .parse(
                "{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"U\",\"A\"],\"default\":\"U\"}");
    assertThat(SchemaEvolutionGuard.check(changed, Map.of("v1.avsc", released))).isEmpty();
  }

  private static Schema withExtraField(Schema base, String fieldJson) {
    String json = base.toString();
    int end = json.lastIndexOf("]");
    return new Schema.Parser()
        .parse(json.substring(0, end) + "," + fieldJson + json.substring(end));
  }
}
