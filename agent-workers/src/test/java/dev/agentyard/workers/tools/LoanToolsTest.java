package dev.agentyard.workers.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoanToolsTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Clock TODAY = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
  final ToolRegistry tools = ToolRegistry.loanTools();

  JsonNode run(String tool, String input, String document, Map<String, String> metadata)
      throws Exception {
    return tools.execute(
        tools.find(tool).orElseThrow(),
        JSON.readTree(input),
        new ToolContext(document, metadata, TODAY));
  }

  @Test
  void extractsLabelledAmountsButNotYearsOrIds() throws Exception {
    String w2 =
        """
        Form W-2 Wage and Tax Statement 2025
        Employee SSN: 123-45-6789      Employer EIN 12-3456789
        1 Wages, tips, other compensation: $84,200.00
        2 Federal income tax withheld  12,630.50
        Box 12a code D .......... 5000.00
        """;
    JsonNode out = run("extract_figures", "{}", w2, Map.of());

    assertThat(out.get("count").asInt()).isEqualTo(3);
    assertThat(out.get("figures").get(0).get("label").asText())
        .isEqualTo("1 Wages, tips, other compensation");
    assertThat(out.get("figures").get(0).get("amount").decimalValue())
        .isEqualByComparingTo("84200.00");
    assertThat(out.get("figures").get(1).get("amount").decimalValue())
        .isEqualByComparingTo("12630.50");

    JsonNode wages = run("extract_figures", "{\"labels\":[\"wages\",\"bonus\"]}", w2, Map.of());
    assertThat(wages.get("count").asInt()).isEqualTo(1);
    assertThat(wages.get("missing").get(0).asText()).isEqualTo("bonus");
  }

  @Test
  void computesDebtToIncomeWithItsBand() throws Exception {
    JsonNode out =
        run(
            "compute_dti",
            "{\"monthlyDebtPayments\": 2450, \"annualGrossIncome\": 84200}",
            "",
            Map.of());
    assertThat(out.get("monthlyGrossIncome").decimalValue()).isEqualByComparingTo("7016.67");
    assertThat(out.get("dti").decimalValue()).isEqualByComparingTo("0.3492");
    assertThat(out.get("band").asText()).isEqualTo("acceptable");
    assertThat(
            run(
                    "compute_dti",
                    "{\"monthlyDebtPayments\": 3100, \"monthlyGrossIncome\": 7000}",
                    "",
                    Map.of())
                .get("band")
                .asText())
        .isEqualTo("high");
  }

  @Test
  void rejectsInputThatDoesNotMatchTheToolSchema() {
    assertThatThrownBy(() -> run("compute_dti", "{\"monthlyDebtPayments\": 100}", "", Map.of()))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("invalid input for compute_dti");
  }

  @Test
  void checksIdNumberFormatExpiryAndPassportMrzCheckDigits() throws Exception {
    // ICAO 9303 specimen: L898902C3, born 1974-08-12, expires 2012-04-15
    String mrz = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
    JsonNode specimen =
        run(
            "check_id_document",
            "{\"documentType\":\"passport\",\"number\":\"L898902C3\",\"expiryDate\":\"2012-04-15\",\"mrzLine2\":\""
                + mrz
                + "\"}",
            "",
            Map.of());
    assertThat(specimen.get("mrzValid").asBoolean()).isTrue();
    assertThat(specimen.get("numberFormatValid").asBoolean()).isTrue();
    assertThat(specimen.get("expired").asBoolean()).isTrue();
    assertThat(specimen.get("valid").asBoolean()).isFalse();

    String tampered = mrz.replace("7408122", "7508122");
    JsonNode bad =
        run(
            "check_id_document",
            "{\"documentType\":\"passport\",\"number\":\"L898902C3\",\"expiryDate\":\"2031-04-15\",\"mrzLine2\":\""
                + tampered
                + "\"}",
            "",
            Map.of());
    assertThat(bad.get("mrzValid").asBoolean()).isFalse();

    JsonNode licence =
        run(
            "check_id_document",
            "{\"documentType\":\"drivers_licence\",\"number\":\"D1234567\",\"expiryDate\":\"2029-01-31\"}",
            "",
            Map.of());
    assertThat(licence.get("valid").asBoolean()).isTrue();
    assertThat(licence.get("daysToExpiry").asLong()).isPositive();
  }

  @Test
  void crossChecksNamesAgainstTheApplicantIgnoringOrderAccentsAndTitles() throws Exception {
    JsonNode out =
        run(
            "cross_check_names",
            """
        {"names":[{"source":"w2","name":"DOE, JANE"},{"source":"passport","name":"Jane Marie Doé"},
                  {"source":"bank","name":"Mrs. J. Doe"},{"source":"contract","name":"John Doe"}]}""",
            "",
            Map.of("applicantName", "Jane Doe"));

    assertThat(out.get("referenceSource").asText()).isEqualTo("application");
    assertThat(out.get("comparisons"))
        .extracting(c -> c.get("verdict").asText())
        .containsExactly("match", "partial", "partial", "mismatch");
    assertThat(out.get("consistent").asBoolean()).isFalse();
  }

  @Test
  void approvingALoanIsIrreversibleAndCannotRun() {
    Tool approve = tools.find("approve_loan").orElseThrow();
    assertThat(approve.irreversible()).isTrue();
    assertThatThrownBy(
            () -> approve.execute(JSON.createObjectNode(), new ToolContext("", Map.of(), TODAY)))
        .isInstanceOf(IllegalStateException.class);
  }
}
