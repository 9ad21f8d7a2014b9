package dev.agentyard.evals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

  static final Path DATASETS =
      Path.of(System.getProperty("agentyard.evals.home", ".")).resolve("datasets");

  @Test
  void theRepositorysDatasetsLoadWithEveryKindAndEveryRoute() {
    List<EvalCase> cases = Datasets.load(List.of(DATASETS));
    Map<EvalCase.Kind, Long> byKind =
        cases.stream().collect(Collectors.groupingBy(EvalCase::kind, Collectors.counting()));
    assertThat(byKind.get(EvalCase.Kind.ROUTING)).isGreaterThanOrEqualTo(170);
    assertThat(byKind.get(EvalCase.Kind.ADVERSARIAL)).isGreaterThanOrEqualTo(50);
    assertThat(byKind.get(EvalCase.Kind.BEHAVIOUR)).isGreaterThanOrEqualTo(12);
    assertThat(cases)
        .filteredOn(c -> Boolean.TRUE.equals(c.expect().injection()))
        .hasSizeGreaterThanOrEqualTo(38);
    assertThat(cases)
        .filteredOn(c -> c.expect().rejected() != null)
        .extracting(c -> c.expect().rejected())
        .contains("MISSING", "TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "UNREADABLE");
    assertThat(cases).filteredOn(c -> c.tags().contains("pdf")).isNotEmpty();
  }

  @Test
  void readsEachKindAndResolvesFilesBesideTheDataset(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("doc.txt"), "W-2 wages 84,200");
    Files.writeString(
        dir.resolve("cases.jsonl"),
        """
        // a comment, then a blank line

        {"id":"r1","kind":"routing","document":{"text":"Form W-2"},"expect":{"route":"income"}}
        {"id":"b1","kind":"behaviour","route":"income","behaviour":"reads the wages","document":{"file":"doc.txt"},\
        "metadata":{"applicantName":"Jane Doe"},"expect":{"outcome":"completed","toolsCalled":"extract_figures",\
        "properties":[{"path":"/annualIncome","min":84000,"max":84400},{"path":"/issues","empty":true}]}}
        """);
    List<EvalCase> cases = Datasets.load(List.of(dir));
    assertThat(cases).extracting(EvalCase::id).containsExactly("r1", "b1");
    EvalCase b = cases.get(1);
    assertThat(b.source()).isEqualTo("cases.jsonl:4");
    assertThat(b.document().file()).isEqualTo(dir.resolve("doc.txt").toAbsolutePath().toString());
    assertThat(b.expect().toolsCalled()).containsExactly("extract_figures");
    assertThat(b.expect().properties()).hasSize(2);
    assertThat(b.group()).isEqualTo("income");
    assertThat(cases.get(0).group()).isEqualTo("income");
  }

  @Test
  void aBadCaseIsRefusedNamingItsFileAndLine() {
    assertRefused(
        "{\"id\":\"x\",\"kind\":\"routng\",\"document\":{\"text\":\"a\"},\"expect\":{\"route\":\"income\"}}",
        "f.jsonl:3: kind must be one of [adversarial, behaviour, routing], not 'routng'");
    assertRefused(
        "{\"id\":\"x\",\"kind\":\"routing\",\"document\":{\"text\":\"a\",\"corpus\":\"income-0001\"},\"expect\":{\"route\":\"a\"}}",
        "f.jsonl:3 (x): document needs exactly one of text, base64, file, corpus (has 2)");
    assertRefused(
        "{\"id\":\"x\",\"kind\":\"routing\",\"document\":{\"text\":\"a\"},\"expect\":{}}",
        "a routing case needs expect.route");
    assertRefused(
        "{\"id\":\"x\",\"kind\":\"behaviour\",\"route\":\"income\",\"document\":{\"text\":\"a\"},\"expect\":{}}",
        "a behaviour case needs route and behaviour");
    assertRefused(
        "{\"id\":\"x\",\"kind\":\"behaviour\",\"route\":\"income\",\"behaviour\":\"b\",\"document\":{\"text\":\"a\"},"
            + "\"expect\":{\"properties\":[{\"path\":\"/a\",\"matches\":\"(\"}]}}",
        "property /a: not a valid regex");
    assertRefused(
        "{\"id\":\"x\",\"kind\":\"behaviour\",\"route\":\"income\",\"behaviour\":\"b\",\"document\":{\"text\":\"a\"},"
            + "\"expect\":{\"properties\":[{\"path\":\"/a\",\"equals\":1,\"empty\":true}]}}",
        "needs exactly one of equals");
    assertRefused(
        "{\"id\":\"x\",\"kind\":\"routing\",\"document\":{\"text\":\"a\"},\"expect\":{\"route\":\"a\",\"rout\":1}}",
        "f.jsonl:3: Unrecognized field \"rout\"");
    assertRefused("{\"id\":\"x\" \"kind\"}", "f.jsonl:3: not a JSON object");
  }

  @Test
  void caseIdsAreUniqueAcrossFiles(@TempDir Path dir) throws Exception {
    String line =
        "{\"id\":\"same\",\"kind\":\"routing\",\"document\":{\"text\":\"a\"},\"expect\":{\"route\":\"income\"}}\n";
    Files.writeString(dir.resolve("a.jsonl"), line);
    Files.writeString(dir.resolve("b.jsonl"), line);
    assertThatThrownBy(() -> Datasets.load(List.of(dir)))
        .hasMessage("b.jsonl:1: case id 'same' is already used at a.jsonl:1");
  }

  private static void assertRefused(String line, String message) {
    assertThatThrownBy(() -> Datasets.parse(line, "f.jsonl:3", null))
        .isInstanceOf(Datasets.InvalidDatasetException.class)
        .hasMessageContaining(message);
  }
}
