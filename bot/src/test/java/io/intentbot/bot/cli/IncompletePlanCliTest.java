package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped deploy-app and restore-app with no cluster (no KUBECONFIG, no ~/.kube/config, not in
 * a pod): the reads fail, so the plans are incomplete; a dry run exits 1 saying what could not be
 * read and why, and a run that needs approval is refused without asking for one.
 */
class IncompletePlanCliTest {

  @TempDir Path dir;
  private CliFixture cli;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliFixture(dir);
    Path shipped = Path.of("..", "intents");
    Path intents = cli.engine.intentsDir();
    Files.createDirectories(intents.resolve("lib"));
    for (String file : new String[] {"deploy-app.yaml", "restore-app.yaml"}) {
      Files.copy(shipped.resolve(file), intents.resolve(file));
    }
    try (Stream<Path> lib = Files.list(shipped.resolve("lib"))) {
      for (Path file : lib.toList()) {
        Files.copy(file, intents.resolve("lib").resolve(file.getFileName()));
      }
    }
    cli.moreEnv.put("HOME", dir.resolve("home").toString());
  }

  @Test
  void aDryRunWithNoClusterExitsOneAndNamesWhatCouldNotBeRead() {
    CliFixture.Result result = cli.run("run", "deploy-app", "app=web", "env=sandbox", "--dry-run");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.FAILED);
    assertThat(result.err())
        .contains(
            "the plan is incomplete: could not read step history (kubernetes.rollout-history)")
        .contains(
            "no Kubernetes cluster configured for sandbox: set KUBECONFIG, or kube_context in"
                + " config, or run inside a pod");
    assertThat(result.out())
        .doesNotContain("version = 0.0.1")
        .doesNotContain("previous = 0.0.0")
        .doesNotContain("first version");
  }

  @Test
  void restoreAppDoesNotConcludeThatThereIsNoBackup() {
    CliFixture.Result result = cli.run("run", "restore-app", "app=web", "env=sandbox", "--dry-run");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.FAILED);
    assertThat(result.err()).contains("could not read step newest.list (velero.backups)");
  }

  @Test
  void aKubeconfigThatDoesNotExistIsNamedInTheIncompletePlan() {
    Path missing = dir.resolve("no-such-kubeconfig");

    CliFixture.Result result =
        cli.runWith(
            Map.of("KUBECONFIG", missing.toString()),
            "run",
            "deploy-app",
            "app=web",
            "env=sandbox",
            "--dry-run");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.FAILED);
    assertThat(result.err()).contains("KUBECONFIG names " + missing + ", which does not exist");
  }

  @Test
  void noApprovalIsRequestedOnAnIncompletePlan() {
    CliFixture.Result result = cli.run("run", "deploy-app", "app=web", "env=production");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.REFUSED);
    assertThat(result.err())
        .contains("deploy-app in production needs approval, but its plan is incomplete")
        .contains("no Kubernetes cluster configured for production");
    assertThat(result.out()).doesNotContain("r-");
    assertThat(cli.run("history").out()).doesNotContain("waiting");
  }

  @Test
  void aDeployThatFailsBeforeItsRolloutFailsForThatReasonAndItsOnFailureDoesNotCrash() {
    CliFixture.Result result = cli.run("run", "deploy-app", "app=web", "env=sandbox");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCode.FAILED);
    assertThat(result.err())
        .contains("no Kubernetes cluster configured for sandbox")
        .doesNotContain("is not present in map")
        .doesNotContain("on_failure steps did not all succeed")
        .contains("no on_failure step applied (their conditions were false)");
  }
}
