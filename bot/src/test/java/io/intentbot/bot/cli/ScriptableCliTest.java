package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.intentbot.engine.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a script relies on: help that exits 0, JSON that parses, a run id alone on stdout. */
class ScriptableCliTest {

  @TempDir Path dir;
  private CliFixture cli;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliFixture(dir);
    cli.engine.intent(
        "deploy-app",
        """
        name: deploy-app
        parameters:
          app: { type: app, required: true }
          env: { type: environment, required: true }
        steps:
          - id: rollout
            type: shell
            with: { command: [echo, "rolling out ${{ params.app }}"] }
        """);
  }

  /** Every subcommand's path (audit verify, …), from the command line itself. */
  private static List<List<String>> subcommands(CommandLine command, List<String> path) {
    List<List<String>> all = new ArrayList<>();
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              List<String> here = new ArrayList<>(path);
              here.add(name);
              all.add(here);
              all.addAll(subcommands(sub, here));
            });
    return all;
  }

  @Test
  void helpOnEverySubcommandExitsZeroWithItsUsage() {
    List<List<String>> paths = subcommands(new CommandLine(new IntentbotCommand()), List.of());
    assertThat(paths).contains(List.of("run"), List.of("audit", "verify"), List.of("serve"));
    for (List<String> path : paths) {
      for (String flag : List.of("--help", "-h")) {
        List<String> args = new ArrayList<>(path);
        args.add(flag);
        CliFixture.Result result = cli.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as("%s: %s", args, result.err()).isZero();
        assertThat(result.out()).as("%s", args).contains("Usage: intentbot " + path.get(0));
      }
    }
  }

  @Test
  void stepsJsonIsExactlyOneJsonDocument() throws Exception {
    for (String[] args :
        List.of(new String[] {"steps", "shell", "--json"}, new String[] {"steps", "--json"})) {
      CliFixture.Result result = cli.run(args);
      assertThat(result.exitCode()).isZero();
      try (JsonParser parser = Json.MAPPER.createParser(result.out())) {
        JsonNode document = Json.MAPPER.readTree(parser);
        assertThat(document.isObject()).isTrue();
        assertThat(parser.nextToken()).as("nothing after the document").isNull();
        if (args.length == 3) {
          assertThat(document.path("properties").has("command")).isTrue();
        } else {
          assertThat(document.has("shell")).isTrue();
        }
      }
    }
  }

  @Test
  void waitingForApprovalPrintsTheRunIdAloneOnStdout() {
    CliFixture.Result waiting = cli.run("run", "deploy-app", "app=web", "env=production");
    assertThat(waiting.exitCode()).isEqualTo(3);
    assertThat(waiting.out()).matches("r-[a-z0-9]{8}\n");
    assertThat(waiting.err())
        .contains("1. rollout: ")
        .contains("waits for approval in production; approve with: intentbot approve r-");
  }

  @Test
  void anApproverWithoutTheIntentsIsRefusedAndTheRunStillWaits() throws Exception {
    CliFixture.Result waiting = cli.run("run", "deploy-app", "app=web", "env=production");
    assertThat(waiting.exitCode()).isEqualTo(3);
    String id = waiting.out().strip();
    Path elsewhere = java.nio.file.Files.createDirectories(dir.resolve("other-intents"));

    for (String verb : List.of("approve", "reject")) {
      CliFixture.Result refused = cli.runAs("alice", verb, id, "--intents", elsewhere.toString());
      assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
      assertThat(refused.err())
          .contains("run " + id + " is a deploy-app run, and this intentbot has no intent")
          .contains("nothing was decided and the run is unchanged");
      assertThat(cli.run("show", id).out()).contains("status     waiting_approval");
    }

    CliFixture.Result approved = cli.runAs("alice", "approve", id);
    assertThat(approved.exitCode()).as(approved.err()).isZero();
    assertThat(approved.out()).contains("rolling out web");
  }
}
