package dev.agentyard.workers.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentyard.avro.CallOutcome;
import dev.agentyard.avro.JournalStepKind;
import dev.agentyard.avro.ModelTier;
import dev.agentyard.avro.RunJournalEntry;
import dev.agentyard.workers.agent.JournalStep;
import dev.agentyard.workers.provider.ChatResponse;
import dev.agentyard.workers.provider.Part;
import dev.agentyard.workers.provider.TokenUsage;
import dev.agentyard.workers.resilience.CallAttempt;
import dev.agentyard.workers.resilience.ModelRef;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every kind of step survives its trip through the journal's Avro entry. */
class JournalCodecTest {

  static final Instant AT = Instant.parse("2026-12-05T08:00:00Z");
  static final ModelRef MODEL = new ModelRef("anthropic", "claude-haiku-4-5", 0, ModelTier.SMALL);

  static JournalStep roundTrip(JournalStep step) {
    RunJournalEntry e = JournalCodec.encode("t-1", "income", 3, step);
    assertThat(e.getSeq()).isEqualTo(3);
    assertThat(e.getTaskId()).isEqualTo("t-1");
    return JournalCodec.decode(e).orElseThrow();
  }

  @Test
  void aStartedCallKeepsItsAttemptModelFingerprintAndEstimate() {
    JournalStep.CallStarted s =
        new JournalStep.CallStarted(2, "fp", "a-1", 1, MODEL, "claude-haiku-4-5", false, 1234, AT);
    assertThat(roundTrip(s)).isEqualTo(s);
  }

  @Test
  void anEndedCallKeepsItsUsageCostAndTheAnswerWithItsToolCalls() throws Exception {
    ChatResponse answer =
        new ChatResponse(
            "claude-haiku-4-5",
            List.of(
                new Part.Text("Let me read the figures."),
                new Part.ToolUse(
                    "toolu_1", "extract_figures", new ObjectMapper().readTree("{\"labels\":[1]}"))),
            ChatResponse.Finish.TOOL_USE,
            TokenUsage.ZERO,
            200);
    CallAttempt call =
        new CallAttempt(
            "a-1",
            MODEL,
            "claude-haiku-4-5",
            1,
            false,
            CallOutcome.SUCCESS,
            new TokenUsage(100, 20, 300, 40),
            0,
            null,
            AT.minusMillis(350),
            AT);
    JournalStep.CallEnded back =
        (JournalStep.CallEnded)
            roundTrip(new JournalStep.CallEnded(1, "fp", call, 777, "prices-1", answer));

    assertThat(back.call()).isEqualTo(call);
    assertThat(back.costMicroUsd()).isEqualTo(777);
    assertThat(back.priceTableVersion()).isEqualTo("prices-1");
    assertThat(back.response().content()).isEqualTo(answer.content());
    assertThat(back.response().finish()).isEqualTo(ChatResponse.Finish.TOOL_USE);
  }

  @Test
  void aFailedCallHasNoAnswer() {
    CallAttempt call =
        new CallAttempt(
            "a-2",
            MODEL,
            "claude-haiku-4-5",
            2,
            true,
            CallOutcome.RATE_LIMITED,
            TokenUsage.ZERO,
            429,
            "rate limited; retry after 1 s",
            AT.minusMillis(20),
            AT);
    JournalStep.CallEnded back =
        (JournalStep.CallEnded) roundTrip(new JournalStep.CallEnded(1, "fp", call, 0, "p", null));
    assertThat(back.call()).isEqualTo(call); // all a usage event needs, to be written again
    assertThat(back.response()).isNull();
    assertThat(back.call().outcome()).isEqualTo(CallOutcome.RATE_LIMITED);
    assertThat(back.call().fallback()).isTrue();
  }

  @Test
  void anUnconfirmedCallAndAToolRunRoundTrip() throws Exception {
    JournalStep.CallUnconfirmed u = new JournalStep.CallUnconfirmed(4, "a-3", 999, AT);
    assertThat(roundTrip(u)).isEqualTo(u);
    JournalStep.Yielded y = new JournalStep.Yielded(3, AT);
    assertThat(roundTrip(y)).isEqualTo(y);
    JournalStep.ToolExecuted t =
        new JournalStep.ToolExecuted(
            2,
            "toolu_9",
            "approve_loan",
            new ObjectMapper().readTree("{\"amount\":250000}"),
            "{\"recorded\":true}",
            false,
            true,
            "grant-1",
            AT);
    assertThat(roundTrip(t)).isEqualTo(t);
  }

  @Test
  void aStepOfAKindThisVersionDoesNotKnowIsSkipped() {
    RunJournalEntry e =
        RunJournalEntry.newBuilder()
            .setTaskId("t-1")
            .setRoute("income")
            .setSeq(0)
            .setStep(JournalStepKind.UNKNOWN)
            .setTurn(1)
            .setAt(AT)
            .build();
    assertThat(JournalCodec.decode(e)).isEmpty();
  }
}
