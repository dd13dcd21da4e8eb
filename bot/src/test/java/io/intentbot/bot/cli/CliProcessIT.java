package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as separate processes sharing one H2 file: a run that waits for approval in one
 * process is approved and executed by another, as a pipeline and an approver would do it.
 */
class CliProcessIT {

  @TempDir Path dir;
  private CliFixture fixture;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new CliFixture(dir);
    fixture.engine.intent(
        "deploy-app",
        """
        name: deploy-app
        parameters:
          app: { type: app, required: true }
          env: { type: environment, required: true }
        steps:
          - id: rollout
            type: shell
            with: { command: [echo, "deployed ${{ params.app }} to ${{ env.namespace }}"] }
        """);
  }

  private CliProcess.Exit intentbot(String... args) throws IOException, InterruptedException {
    return intentbotAs("carol", args);
  }

  /** The packaged jar run by the operating-system user {@code osUser}. */
  private CliProcess.Exit intentbotAs(String osUser, String... args)
      throws IOException, InterruptedException {
    return CliProcess.run(dir, fixture.env(osUser), args);
  }

  @Test
  void aRunWaitingForApprovalIsApprovedFromAnotherProcess() throws Exception {
    CliProcess.Exit waiting =
        intentbot("run", "deploy-app", "app=web", "env=production", "--as", "U_CAROL");
    assertThat(waiting.code()).as(waiting.err()).isEqualTo(3);
    String id = waiting.out().strip().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(id).matches("r-[a-z0-9]{8}");

    CliProcess.Exit self = intentbot("approve", id, "--as", "U_CAROL");
    assertThat(self.code()).isEqualTo(4);

    CliProcess.Exit impersonated = intentbot("approve", id, "--as", "U_BOB");
    assertThat(impersonated.code()).as("carol claims to be an approver").isEqualTo(4);
    assertThat(impersonated.err())
        .contains("operating-system user carol may not act as U_BOB")
        .contains("trusted_os_users");

    CliProcess.Exit approved = intentbotAs("bob", "approve", id);
    assertThat(approved.code()).as(approved.err()).isZero();
    assertThat(approved.out()).contains("deployed web to web").contains("run " + id + " succeeded");

    CliProcess.Exit show = intentbot("show", id);
    assertThat(show.out()).contains("approved by U_BOB").contains("status     succeeded");
    assertThat(show.out()).contains("from       cli, os user carol@test-host");
    assertThat(intentbot("history", "--refused").out())
        .contains("U_CAROL")
        .contains("act-as")
        .contains("trusted_os_users")
        .contains("carol@test-host");
    assertThat(intentbot("audit", "verify").out())
        .contains("audit chain intact: 5 entries checked")
        .contains("covers: 1 finished runs, 1 decisions, 0 acknowledgements, 3 access log entries");
  }

  @Test
  void exitCodesForBadInputAndDryRun() throws Exception {
    CliProcess.Exit bad = intentbot("run", "deploy-app", "app=mobile", "env=sandbox");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err())
        .contains("parameter 'app' must be one of the configured apps: web, api; got 'mobile'");
    CliProcess.Exit dry = intentbot("run", "deploy-app", "app=web", "env=production", "--dry-run");
    assertThat(dry.code()).isZero();
    assertThat(dry.out())
        .contains("nothing will change")
        .contains("1. rollout: ")
        .contains("plan hash ");
    CliProcess.Exit usage = intentbot("run");
    assertThat(usage.code()).isEqualTo(2);
    assertThat(usage.err()).contains("Missing required parameter: 'INTENT'");
  }

  @Test
  void jsonLogsCarryTheRunId() throws Exception {
    fixture.engine.intent(
        "noisy",
        """
        name: noisy
        steps:
          - id: s
            type: shell
            with: { command: [echo, hi] }
        """);
    java.util.Map<String, String> env = new java.util.HashMap<>(fixture.env());
    env.put("INTENTBOT_LOG_FORMAT", "json");
    env.put("INTENTBOT_LOG_LEVEL", "INFO");
    CliProcess.Exit run = CliProcess.run(dir, env, "run", "noisy");
    List<String> lines = run.err().lines().toList();
    assertThat(lines).isNotEmpty();
    assertThat(lines)
        .anyMatch(
            l ->
                l.startsWith("{")
                    && l.contains("\"run_id\":\"r-")
                    && l.contains("step s succeeded"));
  }
}
