package dev.agentyard.router.guard;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Screens a document for instructions aimed at the model that will read it (prompt injection):
 * orders to ignore earlier instructions, role-play and jailbreak set-ups, attempts to extract the
 * system prompt, forged tool calls and chat-template tokens, direct orders to the model about the
 * decision, hidden characters, and any of these encoded in base64 or hex. A document with a finding
 * goes to human review and never reaches a model.
 *
 * <p>Beside the rules, a learned screen (ADR 0018) scores every line of every reading of the text
 * (obfuscation undone) and reports {@code LEARNED_SCREEN} above its calibrated threshold: the rules
 * are precise on the phrasings they know, the model carries to phrasings and languages they do not.
 *
 * <p>The text is normalised first (NFKC, so full-width and other look-alike forms fold to ASCII;
 * zero-width and bidi-control characters removed; whitespace collapsed; lower case), so spacing and
 * Unicode tricks do not hide a phrase. The rules are phrase-level, tuned to produce no finding on
 * the labelled corpus of genuine loan documents (a unit test holds them to that).
 */
public final class InjectionScreen {

  /** One rule that matched, with a short excerpt of the normalised text around it. */
  public record Finding(String rule, String excerpt) {
    @Override
    public String toString() {
      return rule + " (\"" + excerpt + "\")";
    }
  }

  /**
   * A rule: its pattern, and literals at least one of which every match contains. The pattern only
   * runs on text holding one of them (String.indexOf is a vectorised scan; a regex whose every
   * position starts an alternation of words is not): the screen ran at ~240 µs a document, ten
   * times the classifier, and the router's throughput with it. A test holds the triggers to the
   * patterns (same findings with and without them, over every attack and genuine document).
   */
  private record Rule(String name, Pattern pattern, List<String> triggers) {
    Rule(String name, Pattern pattern, String... triggers) {
      this(name, pattern, List.of(triggers));
    }

    boolean mayMatch(String norm) {
      for (String t : triggers) {
        if (norm.contains(t)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * No case-insensitive flag: the rules only ever see {@link #normalise normalised} (lower-cased)
   * text and are written in lower case; CASE_INSENSITIVE with UNICODE_CASE made every character
   * comparison a case fold and the screen ten times slower than the classifier.
   */
  private static final int FLAGS = 0;

  private static final List<Rule> RULES =
      List.of(
          new Rule(
              "IGNORE_INSTRUCTIONS",
              Pattern.compile(
                  "\\b(ignore|disregard|forget|override|bypass|skip)\\b(\\s+(all|any|every|the|your|my|these|those|of|previous|prior|"
                      + "above|earlier|preceding|original|initial|system|existing))*\\s+(instructions?|prompts?|rules|directions|"
                      + "guidelines|guardrails|context|directives|policies)\\b|\\bsystem override\\b|\\b(new|updated) system message\\b",
                  FLAGS),
              "ignore",
              "disregard",
              "forget",
              "override",
              "bypass",
              "skip",
              "system message"),
          new Rule(
              "NEW_INSTRUCTIONS",
              Pattern.compile(
                  "\\b(new|updated|real|actual|additional)\\s+(system\\s+)?instructions?\\s*(:[^\\n]{0,40}?\\b(ignore|you|your|set|"
                      + "approve\\w*|classify|route|respond|output|leave|report|mark|answer|reply|treat|skip)\\b|follow|for the (ai|assistant|model))",
                  FLAGS),
              "instruction"),
          new Rule(
              "ROLE_PLAY",
              Pattern.compile(
                  "\\b(you are now|from now on,? you|you will now act|pretend (to be|you are|that you)|role-?play (as|a)|act as (a|an|the|my)\\s+"
                      + "(unrestricted|unfiltered|different|new|evil|jailbroken|system|developer|admin|ai|assistant|model|underwriter bot)|"
                      + "developer mode|dan mode|do anything now|jailbreak|jailbroken)\\b",
                  FLAGS),
              "you are now",
              "from now on",
              "you will now act",
              "pretend",
              "role",
              "act as",
              "developer mode",
              "dan mode",
              "do anything now",
              "jailbr"),
          new Rule(
              "PROMPT_EXTRACTION",
              Pattern.compile(
                  "\\b((reveal|print|show|repeat|output|tell me|display|leak|return|dump|write out|list|reply with|respond with|give me|share|"
                      + "send|copy|paste|provide)\\s+(me\\s+)?(your|the|all)\\s+"
                      + "(system\\s+|initial\\s+|hidden\\s+|original\\s+|secret\\s+)?(prompt|instructions|rules|configuration|api key)s?"
                      + "|system prompt|initial prompt|hidden prompt|what (are|were) your instructions|instructions you (were given|received|got))\\b",
                  FLAGS),
              "prompt",
              "instructions",
              "rules",
              "configuration",
              "api key"),
          new Rule(
              "TOOL_CALL",
              Pattern.compile(
                  "(\\b(call|invoke|use|run|execute|trigger)\\s+(the\\s+)?(tool|function)\\b|\\bapprove_loan\\b|\\bcompute_dti\\b|"
                      + "\\bextract_figures\\b|\\bcheck_id_document\\b|\\bcross_check_names\\b|\"tool_use\"|\"tool_calls\"|\"function_call\"|"
                      + "<\\s*/?\\s*(tool_call|tool_use|function_calls?|invoke|antml)|<\\|im_(start|end)\\|>|\\[/?inst\\]|<<\\s*/?sys\\s*>>|"
                      // the fence the agent puts around a document (AgentLoop.opening), or one like
                      // it, closed early
                      + "document>>>|<<<document|<\\s*/\\s*document\\s*>)",
                  FLAGS),
              "tool",
              "function",
              "approve_loan",
              "compute_dti",
              "extract_figures",
              "check_id_document",
              "cross_check_names",
              "<",
              "inst]",
              "document>>>"),
          // a chat turn forged in the document: a role label at the start of a line, then words
          // addressed to a model or
          // about the decision (a field label such as "System: ADP Payroll" or "Assistant: Maria
          // Lopez" is not one)
          new Rule(
              "CHAT_ROLE",
              Pattern.compile(
                  "^\\s*(system|assistant)\\s*:[^\\n]{0,60}?\\b(you|your|ignore|disregard|approve\\w*|must|always|never|applicant\\S*|"
                      + "respond|answer|reply|output|set|mark|classify|verified|pre-approved)\\b",
                  FLAGS | Pattern.MULTILINE),
              "system",
              "assistant"),
          // a comment is invisible in a rendered document: one that speaks to a model or about the
          // decision is hidden text
          new Rule(
              "HIDDEN_COMMENT",
              Pattern.compile(
                  "<!--[^>]{0,300}?\\b(ai|assistant|model|llm|system|ignore|disregard|approve\\w*|instructions?|set|mark|classify|"
                      + "risk ?level|recommendation)\\b",
                  FLAGS),
              "<!--"),
          // the same order in other languages the applicants of a lender write in
          new Rule(
              "IGNORE_INSTRUCTIONS_OTHER_LANGUAGE",
              Pattern.compile(
                  "\\b(ignor(a|ar|e|ez|er|iere|ieren)|olvida|oubliez?|vergiss|esquece|dimentica)\\b(\\s+\\S+){0,3}?\\s+"
                      + "(instrucciones|instructions|anweisungen|instruções|instrucoes|istruzioni|consignes|regeln|reglas|règles|regole)\\b",
                  FLAGS),
              "ignor",
              "olvida",
              "oubli",
              "vergiss",
              "esquece",
              "dimentica"),
          new Rule(
              "MODEL_DIRECTIVE",
              Pattern.compile(
                  "\\b((note|message|instruction|attention) (to|for) (the )?(ai|assistant|model|llm|language model|bot|automated (reviewer|"
                      + "underwriter|system))|(dear|hey|hi) (ai|assistant|chatgpt|claude|gpt|model|bot)\\b|"
                      + "(attention|hello|hey|dear),? (the )?(ai|assistant|language model|llm|model|chatgpt|claude|gpt|bot)\\s*[:,]|(ai|assistant|model|llm|"
                      + "chatgpt|claude|gpt)\\s*[,:]?\\s+(must|should|shall|will|please)\\s+(now\\s+)?(approve|classify|ignore|mark|set|"
                      + "output|respond|answer|return|say|reply|route))",
                  FLAGS),
              "note ",
              "message ",
              "instruction ",
              "attention ",
              "dear ",
              "hey ",
              "hi ",
              "hello",
              "must",
              "should",
              "shall",
              "will",
              "please"),
          new Rule(
              "DECISION_DIRECTIVE",
              Pattern.compile(
                  "\\b(automatically|immediately|must|always)\\s+(approve|accept|pass|clear)\\s+(this|the)\\s+(loan|application|applicant|"
                      + "document|borrower|request)\\b|\\b(classify|route|mark|label)\\s+(this|the)\\s+(document|application|file)\\s+as\\b",
                  FLAGS),
              "automatically",
              "immediately",
              "must",
              "always",
              "classify",
              "route",
              "mark",
              "label"));
  private static final Pattern HIDDEN =
      Pattern.compile(
          "[\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFEFF"
              + "\\x{E0000}-\\x{E007F}]");

  /** Shortest run of base64 characters worth decoding. */
  private static final int BASE64_MIN = 24;

  private static final Pattern HEX = Pattern.compile("\\b(?:[0-9a-fA-F]{2}){16,}\\b");
  private static final int HIDDEN_MIN = 3;

  private final boolean prefilter;
  private final Optional<LearnedScreen> learned;

  /** The rules and the learned screen bundled with the router. */
  public InjectionScreen() {
    this(true, Optional.of(LearnedScreen.bundled()));
  }

  /** The rules and {@code learned} (empty: the rules alone). */
  public InjectionScreen(Optional<LearnedScreen> learned) {
    this(true, learned);
  }

  /**
   * Without the trigger prefilter when {@code false}: every pattern runs on every text (tests
   * compare both).
   */
  InjectionScreen(boolean prefilter, Optional<LearnedScreen> learned) {
    this.prefilter = prefilter;
    this.learned = learned;
  }

  /** Every rule that matches the text (empty: nothing found). */
  public List<Finding> screen(String text) {
    List<Finding> out = new ArrayList<>();
    int hiddenCount = 0;
    if (mayHaveHidden(text)) {
      Matcher hidden = HIDDEN.matcher(text);
      while (hidden.find()) {
        hiddenCount++;
      }
    }
    if (hiddenCount >= HIDDEN_MIN) {
      out.add(
          new Finding(
              "HIDDEN_CHARACTERS", hiddenCount + " zero-width, bidi-control or tag characters"));
    }
    String norm = normalise(text);
    out.addAll(match(norm, ""));
    if (out.isEmpty()) {
      // digits standing in for letters ("1gn0r3 4ll pr3v10us 1nstruct10ns"): screened once folded
      String folded = unLeet(norm);
      if (!folded.equals(norm)) {
        out.addAll(match(folded, "leet"));
      }
    }
    // percent-encoded runs ("ignore%20all%20previous%20instructions"); most documents have no '%'
    // and skip the regex
    if (text.indexOf('%') >= 0) {
      screenDecoded(
          URL_ENCODED, text, run -> URLDecoder.decode(run, StandardCharsets.UTF_8), "url", out);
    }
    // encoded payloads: decode long base64 and hex runs and screen what they say
    Set<String> seen = base64Runs(text, 50);
    for (String run : seen) {
      decodeBase64(run).ifPresent(decoded -> match(normalise(decoded), "base64").forEach(out::add));
    }
    screenDecoded(
        HEX,
        text,
        run -> new String(HexFormat.of().parseHex(run), StandardCharsets.UTF_8),
        "hex",
        out);
    if (learned.isPresent()) {
      // the learned screen reads every window of every reading of the text (ADR 0018)
      LearnedScreen.Score score = learned.get().score(text);
      if (score.probability() >= learned.get().threshold()) {
        out.add(
            new Finding(
                "LEARNED_SCREEN",
                String.format(Locale.ROOT, "p=%.3f: ", score.probability())
                    + excerpt(score.window(), 0, Math.min(score.window().length(), 60))));
      }
    }
    return List.copyOf(out);
  }

  /** Screens what each run of {@code encoded} decodes to, when it decodes to text. */
  private void screenDecoded(
      Pattern encoded,
      String text,
      UnaryOperator<String> decode,
      String encoding,
      List<Finding> out) {
    for (Matcher m = encoded.matcher(text); m.find(); ) {
      try {
        String decoded = decode.apply(m.group());
        if (mostlyText(decoded)) {
          out.addAll(match(normalise(decoded), encoding));
        }
      } catch (IllegalArgumentException e) {
        // not this encoding after all
      }
    }
  }

  private List<Finding> match(String norm, String encoding) {
    List<Finding> out = new ArrayList<>();
    for (Rule r : RULES) {
      if (prefilter && !r.mayMatch(norm)) {
        continue;
      }
      Matcher m = r.pattern().matcher(norm);
      if (m.find()) {
        String rule =
            encoding.isEmpty() ? r.name() : "ENCODED_PAYLOAD(" + encoding + "):" + r.name();
        out.add(new Finding(rule, excerpt(norm, m.start(), m.end())));
      }
    }
    return out;
  }

  /**
   * Every distinct maximal run of at least 24 base64 characters (either alphabet), with up to two
   * {@code =} of padding after it: what {@code [A-Za-z0-9+/_-]{24,}={0,2}} finds, in one pass over
   * the characters (the regex tried its character class at every position of every document).
   */
  static Set<String> base64Runs(String text, int max) {
    Set<String> runs = new LinkedHashSet<>();
    int n = text.length();
    int i = 0;
    while (i < n && runs.size() < max) {
      if (!isBase64(text.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && isBase64(text.charAt(i))) {
        i++;
      }
      if (i - start >= BASE64_MIN) {
        int end = i;
        while (end < n && end - i < 2 && text.charAt(end) == '=') {
          end++;
        }
        runs.add(text.substring(start, end));
        i = end;
      }
    }
    return runs;
  }

  private static boolean isBase64(char c) {
    return c >= 'A' && c <= 'Z'
        || c >= 'a' && c <= 'z'
        || c >= '0' && c <= '9'
        || c == '+'
        || c == '/'
        || c == '_'
        || c == '-';
  }

  /**
   * Whether any character is at or above the lowest hidden one (most documents: no, and the regex
   * is skipped).
   */
  private static boolean mayHaveHidden(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= '\u200B') {
        return true;
      }
    }
    return false;
  }

  static String normalise(String text) {
    String n = Normalizer.normalize(text, Normalizer.Form.NFKC);
    if (mayHaveHidden(n)) {
      n = HIDDEN.matcher(n).replaceAll("");
    }
    n = foldConfusables(n);
    n = n.replaceAll("[\\t\\x0B\\f\\r ]+", " ").replaceAll(" ?\\n ?", "\n");
    return n.toLowerCase(Locale.ROOT);
  }

  /**
   * Cyrillic and Greek letters that look like Latin ones ("Іgnоrе" with Cyrillic І, о, е), folded
   * to them.
   */
  private static final String CONFUSABLE_FROM =
      "АВЕЗІЈКМНОРСТХУаеіјорсухѕԁһӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧαεικνορτυχ";

  private static final String CONFUSABLE_TO =
      "ABE3IJKMHOPCTXYaeijopcyxsdhlABEZHIKMNOPTYXaeikvoptux";

  static String foldConfusables(String s) {
    boolean any = false;
    for (int i = 0; i < s.length() && !any; i++) {
      char c = s.charAt(i);
      any = c >= '\u0370' && c <= '\u052F';
    }
    if (!any) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int k = c >= '\u0370' && c <= '\u052F' ? CONFUSABLE_FROM.indexOf(c) : -1;
      b.append(k < 0 ? c : CONFUSABLE_TO.charAt(k));
    }
    return b.toString();
  }

  private static final Pattern URL_ENCODED =
      Pattern.compile("(?:[A-Za-z0-9._~+-]*%[0-9A-Fa-f]{2}){3,}[A-Za-z0-9._~+-]*");

  /**
   * Words of letters and look-alike digits (0 o, 1 i, 3 e, 4 a, 5 s, 7 t) with the digits read as
   * letters; the text unchanged when no such word reads as one a rule looks for (OCR noise such as
   * "Departm3nt" folds too, and the rules need not run a second time over every scanned document).
   */
  static String unLeet(String norm) {
    StringBuilder b = null;
    StringBuilder words = null;
    int n = norm.length();
    int i = 0;
    while (i < n) {
      if (!isWordChar(norm.charAt(i))) {
        i++;
        continue;
      }
      int start = i;
      boolean letter = false;
      boolean leet = false;
      boolean other = false;
      while (i < n && isWordChar(norm.charAt(i))) {
        char c = norm.charAt(i++);
        letter |= c >= 'a' && c <= 'z';
        leet |= LEET.indexOf(c) >= 0;
        other |= c >= '0' && c <= '9' && LEET.indexOf(c) < 0;
      }
      if (letter && leet && !other && i - start >= 3) {
        if (b == null) {
          b = new StringBuilder(norm);
          words = new StringBuilder();
        }
        for (int k = start; k < i; k++) {
          int d = LEET.indexOf(norm.charAt(k));
          if (d >= 0) {
            b.setCharAt(k, LEET_AS.charAt(d));
          }
        }
        words.append(b, start, i).append(' ');
      }
    }
    if (b == null) {
      return norm;
    }
    String folded = words.toString();
    return RULES.stream().anyMatch(r -> r.mayMatch(folded)) ? b.toString() : norm;
  }

  private static final String LEET = "013457";
  private static final String LEET_AS = "oieast";

  private static boolean isWordChar(char c) {
    return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
  }

  private static Optional<String> decodeBase64(String run) {
    for (Base64.Decoder d : List.of(Base64.getDecoder(), Base64.getUrlDecoder())) {
      try {
        String s =
            new String(
                d.decode(run.length() % 4 == 0 || run.endsWith("=") ? run : pad(run)),
                StandardCharsets.UTF_8);
        if (mostlyText(s)) {
          return Optional.of(s);
        }
      } catch (IllegalArgumentException e) {
        // not this alphabet
      }
    }
    return Optional.empty();
  }

  private static String pad(String s) {
    return s + "=".repeat((4 - s.length() % 4) % 4);
  }

  private static boolean mostlyText(String s) {
    if (s.length() < 12) {
      return false;
    }
    long printable = s.chars().filter(c -> c >= 0x20 && c < 0x7F || c == '\n').count();
    return printable >= s.length() * 0.9;
  }

  private static String excerpt(String norm, int start, int end) {
    int from = Math.max(0, start - 10);
    int to = Math.min(norm.length(), Math.max(end, start + 40) + 10);
    String e =
        norm.substring(from, Math.min(to, from + 80))
            .replaceAll("\\s+", " ")
            .replaceAll("[^\\p{Print}]", "?");
    return e.trim();
  }
}
