package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SlackBed;
import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 8 through the Slack adapter: a signed slash command past {@code
 * limits.runs_per_user} is answered with the refusal naming the limit, and nothing is recorded.
 */
class LoadLimitsIT {

  static final String HOLD =
      """
      name: hold
      description: Holds a child process until cancelled
      risk: mutating
      parameters:
        env: { type: environment, required: true }
      steps:
        - id: hold
          type: shell
          with: { command: [sleep, "600"] }
      """;

  @TempDir Path dir;
  FakeSlack slack;
  SlackBed bot;

  @BeforeEach
  void start() throws Exception {
    Path intents = Files.createDirectories(dir.resolve("intents").resolve("lib"));
    Files.writeString(intents.resolveSibling("hold.yaml"), HOLD);
    slack = new FakeSlack();
    bot =
        new SlackBed(slack, dir, AuditStores.defaultUrl(dir.resolve("data")))
            .config(TestIntents.CONFIG + "limits: { runs_per_user: 1 }\n")
            .start();
  }

  @AfterEach
  void stop() {
    bot.close();
    List<String> overLimits = slack.limitProblems();
    slack.close();
    assertThat(overLimits).as("calls over Slack's limits").isEmpty();
  }

  @Test
  void aCommandPastTheLimitIsRefusedNamingIt() throws Exception {
    bot.requests.command("U0ALICE", SlackBed.CHANNEL, "hold env=sandbox");
    RunRecord first = bot.latestRun();
    await()
        .atMost(SlackBed.WAIT)
        .until(() -> bot.bed.engine().run(first.id()).orElseThrow().status() == RunStatus.RUNNING);

    assertThat(bot.requests.command("U0ALICE", SlackBed.CHANNEL, "hold env=sandbox").statusCode())
        .isEqualTo(200);
    await().atMost(SlackBed.WAIT).until(() -> slack.calls("/response/U0ALICE-").size() == 2);
    assertThat(slack.calls("/response/U0ALICE-"))
        .extracting(c -> c.get("json"))
        .filteredOn(json -> json.contains("Refused"))
        .singleElement()
        .satisfies(
            json ->
                assertThat(json)
                    .contains(
                        "Refused: you have 1 run in progress",
                        "limits.runs_per_user: 1",
                        "submit again when one has finished"));
    assertThat(bot.bed.engine().history(null, 10))
        .extracting(RunRecord::id)
        .containsExactly(first.id());
    assertThat(bot.bed.engine().refusedAttempts(10))
        .singleElement()
        .satisfies(e -> assertThat(e.rule()).isEqualTo("limits.runs_per_user"));

    assertThat(bot.bed.engine().cancel(first.id(), "U0ALICE").accepted()).isTrue();
    assertThat(bot.bed.engine().awaitFinished(first.id(), SlackBed.WAIT).orElseThrow().status())
        .isEqualTo(RunStatus.CANCELLED);
  }
}
