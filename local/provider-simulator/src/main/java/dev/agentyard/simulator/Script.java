package dev.agentyard.simulator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A scripted agent conversation: the tool calls the "model" makes, turn by turn, then its final
 * answer. Chosen by matching the system prompt.
 *
 * <p>Both can depend on the document (a "model" that reads it): the first {@link Branch} whose
 * pattern is found in the first user message replaces the steps, the first {@link Answer} the final
 * answer. A branch or answer with a rate below 1 applies to only that share of conversations, drawn
 * from the seed and the first user message (which names the task): the same conversation always
 * gets the same draw on every turn and retry, while repeated runs of one document under different
 * task ids differ, as a sampled model's do.
 *
 * @param name script name
 * @param match regex searched in the system prompt
 * @param steps tool calls in order (one per turn)
 * @param finalAnswer the text of the final answer (usually JSON)
 * @param loop a runaway agent: repeats its steps forever and never answers
 * @param answers final answers that depend on the document, in order
 * @param branches tool-call sequences that depend on the document, in order
 */
public record Script(
    String name,
    Pattern match,
    List<ToolStep> steps,
    String finalAnswer,
    boolean loop,
    List<Answer> answers,
    List<Branch> branches) {

  /** One scripted tool call. */
  public record ToolStep(String tool, String inputJson) {}

  /** A final answer given when the document matches (for {@code rate} of the conversations). */
  public record Answer(Pattern when, String text, double rate) {
    public Answer {
      checkRate(rate);
    }
  }

  /**
   * Tool calls made instead of the script's steps when the document matches (for {@code rate} of
   * the conversations).
   */
  public record Branch(Pattern when, List<ToolStep> steps, double rate) {
    public Branch {
      steps = List.copyOf(steps);
      checkRate(rate);
    }
  }

  public static final Script DEFAULT =
      new Script(
          "default",
          Pattern.compile(""),
          List.of(),
          "{\"status\":\"ok\",\"summary\":\"simulated answer\"}",
          false,
          List.of(),
          List.of());

  public Script(
      String name, Pattern match, List<ToolStep> steps, String finalAnswer, boolean loop) {
    this(name, match, steps, finalAnswer, loop, List.of(), List.of());
  }

  public Script {
    steps = List.copyOf(steps);
    answers = List.copyOf(answers);
    branches = List.copyOf(branches);
    if (loop && steps.isEmpty()) {
      throw new IllegalArgumentException("a looping script needs at least one step");
    }
  }

  /** The final answer for this conversation. */
  public String finalAnswerFor(String document, long seed) {
    for (int i = 0; i < answers.size(); i++) {
      Answer a = answers.get(i);
      if (a.when().matcher(document).find() && applies(a.rate(), seed, "final-if." + i, document)) {
        return a.text();
      }
    }
    return finalAnswer;
  }

  /**
   * What to do on the given turn (0-based) of this conversation: a tool call, or null for the final
   * answer.
   */
  public ToolStep step(int turn, String document, long seed) {
    List<ToolStep> s = stepsFor(document, seed);
    if (loop) {
      return s.isEmpty() ? null : s.get(turn % s.size());
    }
    return turn < s.size() ? s.get(turn) : null;
  }

  private List<ToolStep> stepsFor(String document, long seed) {
    for (int i = 0; i < branches.size(); i++) {
      Branch b = branches.get(i);
      if (b.when().matcher(document).find() && applies(b.rate(), seed, "steps-if." + i, document)) {
        return b.steps();
      }
    }
    return steps;
  }

  private boolean applies(double rate, long seed, String what, String document) {
    return rate >= 1.0 || draw(seed, name + "|" + what, document) < rate;
  }

  /** A number in [0, 1) fixed by the seed, the rule and the conversation. */
  static double draw(long seed, String rule, String document) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(ByteBuffer.allocate(8).putLong(seed).array());
      md.update(rule.getBytes(StandardCharsets.UTF_8));
      md.update(document.getBytes(StandardCharsets.UTF_8));
      long bits = ByteBuffer.wrap(md.digest()).getLong() >>> 11;
      return bits / (double) (1L << 53);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void checkRate(double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(
          "a rate is a share of conversations in [0, 1], not " + rate);
    }
  }
}
