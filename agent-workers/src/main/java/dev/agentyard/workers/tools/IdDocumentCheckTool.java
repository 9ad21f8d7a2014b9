package dev.agentyard.workers.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks an identity document: the number's format for its type, expiry against today, and, when
 * the passport's machine-readable zone is given, the ICAO 9303 check digits of its second line
 * (document number, birth date, expiry date).
 */
public final class IdDocumentCheckTool implements Tool {

  private static final Map<String, Pattern> NUMBER_FORMATS =
      Map.of(
          "passport", Pattern.compile("[A-Z0-9]{6,9}"),
          "drivers_licence", Pattern.compile("[A-Z0-9-]{4,16}"),
          "national_id", Pattern.compile("[A-Z0-9-]{5,20}"));

  @Override
  public String name() {
    return "check_id_document";
  }

  @Override
  public String description() {
    return "Checks an ID document: number format for its type, whether it has expired, and a passport MRZ line 2's check digits.";
  }

  @Override
  public JsonNode inputSchema() {
    return ToolRegistry.schema(
        """
        {"type":"object","required":["documentType","number","expiryDate"],
         "properties":{"documentType":{"enum":["passport","drivers_licence","national_id"]},
                       "number":{"type":"string","minLength":1,"maxLength":40},
                       "expiryDate":{"type":"string","pattern":"^\\\\d{4}-\\\\d{2}-\\\\d{2}$"},
                       "mrzLine2":{"type":"string","maxLength":44}}}""");
  }

  @Override
  public JsonNode execute(JsonNode input, ToolContext context) {
    String type = input.get("documentType").asText();
    String number = input.get("number").asText().replace(" ", "").toUpperCase(Locale.ROOT);
    LocalDate expiry;
    try {
      expiry = LocalDate.parse(input.get("expiryDate").asText());
    } catch (DateTimeParseException e) {
      throw new ToolException("expiryDate is not a date: " + input.get("expiryDate").asText());
    }
    LocalDate today = LocalDate.now(context.clock());
    ObjectNode out = ToolRegistry.json().createObjectNode();
    ArrayNode issues = out.putArray("issues");
    boolean formatOk = NUMBER_FORMATS.get(type).matcher(number).matches();
    if (!formatOk) {
      issues.add("number does not have the format of a " + type.replace('_', ' '));
    }
    long days = ChronoUnit.DAYS.between(today, expiry);
    out.put("numberFormatValid", formatOk);
    out.put("expired", days < 0);
    out.put("daysToExpiry", days);
    if (days < 0) {
      issues.add("document expired on " + expiry);
    } else if (days < 90) {
      issues.add("document expires within 90 days");
    }
    boolean mrzOk = true;
    if (input.hasNonNull("mrzLine2")) {
      String mrz = input.get("mrzLine2").asText().toUpperCase(Locale.ROOT);
      boolean digitsOk = mrzLine2Valid(mrz);
      out.put("mrzValid", digitsOk);
      if (!digitsOk) {
        issues.add("MRZ check digits do not match");
      } else if (!mrz.substring(0, 9).replace("<", "").equals(number)) {
        issues.add("MRZ document number differs from the printed number");
      }
      mrzOk = digitsOk && mrz.substring(0, 9).replace("<", "").equals(number);
    }
    // expiring soon is a warning in issues, not a reason to reject the document
    out.put("valid", formatOk && days >= 0 && mrzOk);
    return out;
  }

  /**
   * TD3 (passport) line 2: number 0-8 / check 9, birth 13-18 / check 19, expiry 21-26 / check 27.
   */
  static boolean mrzLine2Valid(String line) {
    if (line.length() != 44) {
      return false;
    }
    return checkDigit(line.substring(0, 9)) == line.charAt(9)
        && checkDigit(line.substring(13, 19)) == line.charAt(19)
        && checkDigit(line.substring(21, 27)) == line.charAt(27);
  }

  /** ICAO 9303 check digit: weights 7, 3, 1; digits as themselves, A-Z as 10-35, filler as 0. */
  static char checkDigit(String field) {
    int[] weights = {7, 3, 1};
    int sum = 0;
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      int v = Character.isDigit(c) ? c - '0' : Character.isLetter(c) ? c - 'A' + 10 : 0;
      sum += v * weights[i % 3];
    }
    return (char) ('0' + sum % 10);
  }
}
