package dev.agentyard.simulator;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A scripted agent conversation: the tool calls the "model" makes, turn by turn, then its final
 * answer. Chosen by matching the system prompt.
 *
 * @param name script name
 * @param match regex searched in the system prompt
 * @param steps tool calls in order (one per turn)
 * @param finalAnswer the text of the final answer (usually JSON)
 * @param loop a runaway agent: repeats its steps forever and never answers
 * @param answers final answers that depend on the document: the first whose pattern is found in
 *     the first user message wins over {@code finalAnswer} (a triage "model" that reads the document)
 */
public record Script(String name, Pattern match, List<ToolStep> steps, String finalAnswer, boolean loop, List<Answer> answers) {

  /** One scripted tool call. */
  public record ToolStep(String tool, String inputJson) {}

  /** A final answer given when the document matches. */
  public record Answer(Pattern when, String text) {}

  public static final Script DEFAULT = new Script("default", Pattern.compile(""), List.of(),
      "{\"status\":\"ok\",\"summary\":\"simulated answer\"}", false, List.of());

  public Script(String name, Pattern match, List<ToolStep> steps, String finalAnswer, boolean loop) {
    this(name, match, steps, finalAnswer, loop, List.of());
  }

  public Script {
    steps = List.copyOf(steps);
    answers = List.copyOf(answers);
    if (loop && steps.isEmpty()) {
      throw new IllegalArgumentException("a looping script needs at least one step");
    }
  }

  /** The final answer for this document. */
  public String finalAnswerFor(String document) {
    for (Answer a : answers) {
      if (a.when().matcher(document).find()) {
        return a.text();
      }
    }
    return finalAnswer;
  }

  /** What to do on the given turn (0-based): a tool call, or null for the final answer. */
  public ToolStep step(int turn) {
    if (loop) {
      return steps.get(turn % steps.size());
    }
    return turn < steps.size() ? steps.get(turn) : null;
  }
}
