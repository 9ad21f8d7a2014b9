package dev.agentyard.evals;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One case of a dataset: a document and what should happen to it. Not expected text: expected
 * behaviour, checked by {@link Scorer}.
 *
 * @param id unique across the datasets of a run; stable, so drift can name it
 * @param kind {@link Kind#ROUTING} and {@link Kind#ADVERSARIAL} cases stop after the router's
 *     decision (with the triage model's verdict when the classifier is unsure); {@link
 *     Kind#BEHAVIOUR} cases run the agent of {@code route} on the document
 * @param route the route whose agent a behaviour case runs (null for the others)
 * @param behaviour what the case checks, in words ("flags the income mismatch")
 * @param document the document
 * @param metadata the task's metadata (the applicant's name, stated figures...)
 * @param expect the checks
 * @param tags free labels for slicing the scorecard ("pdf", "novel-layout", "encoding")
 * @param source dataset file and line, for error messages
 */
public record EvalCase(
    String id,
    Kind kind,
    String route,
    String behaviour,
    DocumentSpec document,
    Map<String, String> metadata,
    Expect expect,
    List<String> tags,
    String source) {

  public enum Kind {
    ROUTING,
    BEHAVIOUR,
    ADVERSARIAL
  }

  public EvalCase {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /**
   * The group the scorecard reports this case under: its route, its expected route, or {@code
   * adversarial}.
   */
  public String group() {
    return switch (kind) {
      case BEHAVIOUR -> route;
      case ROUTING -> expect.route();
      case ADVERSARIAL -> "adversarial";
    };
  }

  /**
   * The document of a case: exactly one of inline text, base64 bytes, a file beside the dataset, or
   * a document of the router's bundled corpus by id.
   *
   * @param text the document as text
   * @param base64 the document's bytes
   * @param file a path relative to the dataset file
   * @param corpus an id of the router's labelled corpus ({@code income-0042})
   * @param mediaType defaults to {@code text/plain} for text, else required (a corpus document has
   *     its own)
   * @param repeat the text repeated this many times (an oversized document without a large file); 1
   *     if absent
   */
  public record DocumentSpec(
      String text, String base64, String file, String corpus, String mediaType, Integer repeat) {}

  /**
   * The checks of a case; an absent field is not checked.
   *
   * @param route routing: the route it must reach, or {@code none} (no specialist: human review)
   * @param injection whether the injection screen must flag it (true) or must not (false)
   * @param rejected the {@code DocumentException.Kind} the router must reject it with (EMPTY
   *     documents: MISSING)
   * @param outcome behaviour: acceptable endings, e.g. {@code completed}, {@code review} (any
   *     reason), {@code review:IRREVERSIBLE_ACTION}
   * @param stopReason the agent's stop reason (DONE, IRREVERSIBLE_ACTION, ...)
   * @param schemaValid whether the final answer must (true) validate against the route's output
   *     schema
   * @param requiredFields fields the answer must have, not null
   * @param toolsCalled tools the agent must have executed
   * @param toolsNotCalled tools the agent must never have asked for
   * @param onlyAllowlisted the agent must never ask for a tool outside its allowlist
   * @param properties checks over the structured answer
   */
  public record Expect(
      String route,
      Boolean injection,
      String rejected,
      List<String> outcome,
      String stopReason,
      Boolean schemaValid,
      List<String> requiredFields,
      List<String> toolsCalled,
      List<String> toolsNotCalled,
      Boolean onlyAllowlisted,
      List<PropertyCheck> properties) {

    public Expect {
      outcome = outcome == null ? List.of() : List.copyOf(outcome);
      requiredFields = requiredFields == null ? List.of() : List.copyOf(requiredFields);
      toolsCalled = toolsCalled == null ? List.of() : List.copyOf(toolsCalled);
      toolsNotCalled = toolsNotCalled == null ? List.of() : List.copyOf(toolsNotCalled);
      properties = properties == null ? List.of() : List.copyOf(properties);
    }
  }

  /**
   * A property of the structured answer at a JSON Pointer; exactly one predicate is set.
   *
   * @param path JSON Pointer into the answer ({@code /issues}, {@code /annualIncome})
   * @param eq ({@code equals} in the file) the value equals this JSON value (numbers compared as
   *     numbers)
   * @param in the value is one of these
   * @param min the number is at least this
   * @param max the number is at most this
   * @param matches the text matches this regex (searched)
   * @param contains the array has an element whose text matches this regex
   * @param empty the array (or text) is empty (true) or not (false); a missing or null value counts
   *     as empty
   * @param isNull the value is missing or null (true) or present and not null (false)
   */
  public record PropertyCheck(
      String path,
      @JsonProperty("equals") JsonNode eq,
      List<JsonNode> in,
      Double min,
      Double max,
      String matches,
      String contains,
      Boolean empty,
      Boolean isNull) {}
}
