package dev.agentyard.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * House rules for every contract: documented fields, exact money, real timestamps, growable enums.
 */
class EventSchemasTest {

  @Test
  void everyRecordAndFieldHasADoc() {
    List<String> missing = new ArrayList<>();
    forEachNamed(
        s -> {
          if (s.getDoc() == null || s.getDoc().isBlank()) {
            missing.add(s.getFullName());
          }
          if (s.getType() == Schema.Type.RECORD) {
            s.getFields().stream()
                .filter(f -> f.doc() == null || f.doc().isBlank())
                .forEach(f -> missing.add(s.getFullName() + "." + f.name()));
          }
        });
    assertThat(missing).isEmpty();
  }

  @Test
  void moneyIsAlwaysWholeMicroUsd() {
    List<String> bad = new ArrayList<>();
    forEachNamed(
        s -> {
          if (s.getType() == Schema.Type.RECORD) {
            for (Schema.Field f : s.getFields()) {
              String n = f.name().toLowerCase();
              if (n.contains("cost")
                  || n.contains("usd")
                  || n.contains("budget") && !n.equals("budget") && !n.endsWith("id")) {
                if (!n.endsWith("microusd") || nonNull(f.schema()).getType() != Schema.Type.LONG) {
                  bad.add(s.getName() + "." + f.name());
                }
              }
              if (nonNull(f.schema()).getType() == Schema.Type.FLOAT) {
                bad.add(s.getName() + "." + f.name() + " is a float");
              }
            }
          }
        });
    assertThat(bad).isEmpty();
  }

  @Test
  void timestampsAreTimestampMillis() {
    List<String> bad = new ArrayList<>();
    forEachNamed(
        s -> {
          if (s.getType() == Schema.Type.RECORD) {
            for (Schema.Field f : s.getFields()) {
              if (f.name().endsWith("At")
                  || f.name().equals("windowStart")
                  || f.name().equals("windowEnd")
                  || f.name().equals("periodStart")) {
                if (!(nonNull(f.schema()).getLogicalType()
                    instanceof LogicalTypes.TimestampMillis)) {
                  bad.add(s.getName() + "." + f.name());
                }
              }
            }
          }
        });
    assertThat(bad).isEmpty();
  }

  @Test
  void everyEnumHasADefaultSymbol() {
    List<String> bad = new ArrayList<>();
    forEachNamed(
        s -> {
          if (s.getType() == Schema.Type.ENUM && s.getEnumDefault() == null) {
            bad.add(s.getFullName());
          }
        });
    assertThat(bad).isEmpty();
  }

  private static Schema nonNull(Schema s) {
    if (s.getType() == Schema.Type.UNION) {
      return s.getTypes().stream()
          .filter(t -> t.getType() != Schema.Type.NULL)
          .findFirst()
          .orElse(s);
    }
    return s;
  }

  private static void forEachNamed(Consumer<Schema> action) {
    Set<String> seen = new HashSet<>();
    for (Class<? extends SpecificRecord> c : EventSchemas.EVENTS) {
      walk(EventSchemas.schemaOf(c), seen, action);
    }
  }

  private static void walk(Schema s, Set<String> seen, Consumer<Schema> action) {
    switch (s.getType()) {
      case RECORD -> {
        if (seen.add(s.getFullName())) {
          action.accept(s);
          s.getFields().forEach(f -> walk(f.schema(), seen, action));
        }
      }
      case ENUM, FIXED -> {
        if (seen.add(s.getFullName())) {
          action.accept(s);
        }
      }
      case UNION -> s.getTypes().forEach(t -> walk(t, seen, action));
      case ARRAY -> walk(s.getElementType(), seen, action);
      case MAP -> walk(s.getValueType(), seen, action);
      default -> {}
    }
  }
}
