package dev.agentyard.schemas.labels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelTextTest {

  @Test
  void foldsEveryDigitIncludingOtherScriptsAndKeepsTheWords() {
    assertThat(LabelText.of("SSN 123-45-6789, balance $4,210.07 on ١٢/٠٣"))
        .isEqualTo("SSN 000-00-0000, balance $0,000.00 on 00/00");
  }

  @Test
  void keepsOnlyTheStartOfALongDocumentWithoutSplittingACharacter() {
    String doc = "a".repeat(LabelText.MAX_CHARS - 1) + "\uD83D\uDE00" + "tail";
    String out = LabelText.of(doc);
    assertThat(out).hasSize(LabelText.MAX_CHARS - 1).doesNotContain("tail");
    assertThat(LabelText.of(null)).isEmpty();
  }
}
