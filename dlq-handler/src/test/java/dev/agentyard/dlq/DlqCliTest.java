package dev.agentyard.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DlqCliTest {

  String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new DlqCli());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    cli.execute(args);
    return out.toString();
  }

  @Test
  void helpListsEveryCommand() {
    assertThat(run("--help"))
        .contains("list", "summary", "show", "replay", "park", "review", "audit", "serve");
  }

  @Test
  void replayIsADryRunUnlessExecuteIsGiven() {
    CommandLine cli = new CommandLine(new DlqCli());
    CommandLine.ParseResult dry = cli.parseArgs("replay", "--topic", "agent.tasks.v1.dlq");
    DlqCli.Replay replay = (DlqCli.Replay) dry.subcommand().commandSpec().userObject();
    assertThat(replay.execute).isFalse();
    assertThat(run("replay", "--help")).contains("--execute", "--rate", "--to", "--force", "--why");
  }

  @Test
  void parkAndReviewDecisionsNeedAReason() {
    assertThat(run("park", "--topic", "agent.tasks.v1.dlq"))
        .contains("Missing required option: '--why=<why>'");
    assertThat(run("review", "reject", "rv-1")).contains("Missing required option: '--why=<why>'");
  }
}
