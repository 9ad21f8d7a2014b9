package dev.agentyard.workers.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-checks the names found on an application's documents (and the applicant name the
 * application was filed under, from the task metadata {@code applicantName}): case, accents,
 * punctuation, "Last, First" order, honorifics and suffixes are ignored; a missing middle name or
 * an initial is a partial match; anything else is a mismatch.
 */
public final class NameCrossCheckTool implements Tool {

  private static final Set<String> IGNORED =
      Set.of("mr", "mrs", "ms", "miss", "dr", "jr", "sr", "ii", "iii", "iv");

  @Override
  public String name() {
    return "cross_check_names";
  }

  @Override
  public String description() {
    return "Compares the names found on the application's documents with each other and with the applicant's name.";
  }

  @Override
  public JsonNode inputSchema() {
    return ToolRegistry.schema(
        """
        {"type":"object","required":["names"],
         "properties":{"names":{"type":"array","minItems":1,"maxItems":20,
           "items":{"type":"object","required":["source","name"],
                    "properties":{"source":{"type":"string"},"name":{"type":"string","minLength":1}}}}}}""");
  }

  @Override
  public JsonNode execute(JsonNode input, ToolContext context) {
    List<String[]> names = new ArrayList<>();
    String applicant = context.metadata().get("applicantName");
    if (applicant != null && !applicant.isBlank()) {
      names.add(new String[] {"application", applicant});
    }
    input
        .get("names")
        .forEach(n -> names.add(new String[] {n.get("source").asText(), n.get("name").asText()}));
    if (names.size() < 2) {
      throw new ToolException(
          "need at least two names to compare (the task has no applicantName metadata)");
    }
    List<String> reference = tokens(names.get(0)[1]);
    ObjectNode out = ToolRegistry.json().createObjectNode();
    out.put("reference", String.join(" ", reference)).put("referenceSource", names.get(0)[0]);
    ArrayNode comparisons = out.putArray("comparisons");
    boolean consistent = true;
    for (String[] n : names.subList(1, names.size())) {
      List<String> t = tokens(n[1]);
      String verdict = verdict(reference, t);
      consistent &= !verdict.equals("mismatch");
      comparisons
          .addObject()
          .put("source", n[0])
          .put("name", n[1])
          .put("normalized", String.join(" ", t))
          .put("verdict", verdict);
    }
    out.put("consistent", consistent);
    return out;
  }

  static List<String> tokens(String name) {
    String n =
        Normalizer.normalize(name, Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "")
            .toLowerCase(Locale.ROOT)
            .strip();
    int comma = n.indexOf(',');
    if (comma > 0) {
      n = n.substring(comma + 1) + " " + n.substring(0, comma); // "Smith, John" -> "John Smith"
    }
    List<String> out = new ArrayList<>();
    for (String t : n.replaceAll("[^a-z\\s-]", " ").split("[\\s-]+")) {
      if (!t.isBlank() && !IGNORED.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }

  static String verdict(List<String> a, List<String> b) {
    if (new LinkedHashSet<>(a).equals(new LinkedHashSet<>(b))) {
      return "match";
    }
    if (a.isEmpty() || b.isEmpty()) {
      return "mismatch";
    }
    // first and last names must agree (an initial agrees with its name); middle names may be
    // missing
    boolean first = agrees(a.get(0), b.get(0));
    boolean last = a.get(a.size() - 1).equals(b.get(b.size() - 1));
    return first && last ? "partial" : "mismatch";
  }

  private static boolean agrees(String x, String y) {
    return x.equals(y)
        || (x.length() == 1 && y.startsWith(x))
        || (y.length() == 1 && x.startsWith(y));
  }
}
