package dev.agentyard.workers.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds labelled money amounts in the document ("Wages, tips, other compensation: $84,200.00",
 * "Ending balance .... 12,345.67"), so the model quotes figures from the text instead of inventing
 * them. A number counts as money when it has a {@code $} or thousands separators or cents; years,
 * ids and dates do not.
 */
public final class ExtractFiguresTool implements Tool {

  private static final Pattern AMOUNT =
      Pattern.compile(
          "(?<![\\w.])(-)?(\\$|USD\\s?)?\\s?(\\d{1,3}(?:,\\d{3})+(?:\\.\\d{1,2})?|\\d+\\.\\d{2}|\\d+)(?![\\w,])");
  private static final Pattern LABEL_END = Pattern.compile("[\\s:.=\\-\\u2026]+$");

  @Override
  public String name() {
    return "extract_figures";
  }

  @Override
  public String description() {
    return "Extracts labelled money amounts from the document text. Optionally restrict to labels containing any of the given words.";
  }

  @Override
  public JsonNode inputSchema() {
    return ToolRegistry.schema(
        """
        {"type":"object","properties":{"labels":{"type":"array","items":{"type":"string","minLength":2},"maxItems":20}},
         "additionalProperties":true}""");
  }

  @Override
  public JsonNode execute(JsonNode input, ToolContext context) {
    List<String> wanted = new ArrayList<>();
    input.path("labels").forEach(l -> wanted.add(l.asText().toLowerCase(Locale.ROOT)));
    ObjectNode out = ToolRegistry.json().createObjectNode();
    ArrayNode figures = out.putArray("figures");
    List<String> found = new ArrayList<>();
    for (String line : context.documentText().split("\\R")) {
      Matcher m = AMOUNT.matcher(line);
      while (m.find()) {
        boolean money = m.group(2) != null || m.group(3).contains(",") || m.group(3).contains(".");
        if (!money) {
          continue;
        }
        String label =
            LABEL_END
                .matcher(line.substring(0, m.start()).replaceAll("\\$|USD", ""))
                .replaceAll("")
                .strip();
        int cut = Math.max(label.lastIndexOf("  "), label.lastIndexOf('\t'));
        label = (cut >= 0 ? label.substring(cut) : label).strip();
        if (label.chars().filter(Character::isLetter).count() < 3) {
          continue;
        }
        String lower = label.toLowerCase(Locale.ROOT);
        if (!wanted.isEmpty() && wanted.stream().noneMatch(lower::contains)) {
          continue;
        }
        BigDecimal amount = new BigDecimal(m.group(3).replace(",", ""));
        if (m.group(1) != null) {
          amount = amount.negate();
        }
        figures.addObject().put("label", label).put("amount", amount);
        found.add(lower);
      }
    }
    ArrayNode missing = out.putArray("missing");
    wanted.stream().filter(w -> found.stream().noneMatch(f -> f.contains(w))).forEach(missing::add);
    out.put("count", figures.size());
    return out;
  }
}
