package io.intentbot.kubernetes.helm;

import static io.intentbot.kubernetes.testing.MockCluster.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentbot.engine.config.ApprovalPolicy;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.process.ProcessRunner;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Helm step types against a stand-in {@code helm} script that records its arguments. */
class HelmStepTypesTest {

  private static final String HISTORY =
      "[{\"revision\":1,\"updated\":\"2026-11-20T10:00:00Z\",\"status\":\"superseded\",\"chart\":\"web-1.0.0\",\"app_version\":\"1.0\",\"description\":\"Install complete\"},"
          + "{\"revision\":2,\"updated\":\"2026-11-21T10:00:00Z\",\"status\":\"superseded\",\"chart\":\"web-1.1.0\",\"app_version\":\"1.1\",\"description\":\"Upgrade complete\"},"
          + "{\"revision\":3,\"updated\":\"2026-11-22T10:00:00Z\",\"status\":\"deployed\",\"chart\":\"web-1.2.0\",\"app_version\":\"1.2\",\"description\":\"Upgrade complete\"}]";

  private static final HelmRepository REPO =
      new HelmRepository("repo", "https://charts.example/repo");

  @TempDir Path dir;
  private Path log;
  private HelmCli helm;
  private RecordingStepContext context;

  @BeforeEach
  void fakeHelm() throws IOException {
    log = dir.resolve("calls.log");
    Files.writeString(dir.resolve("history.json"), HISTORY);
    Path script = dir.resolve("helm");
    Files.writeString(
        script,
        """
        #!/bin/sh
        D="$(dirname "$0")"
        for a in "$@"; do printf '%s\\n' "$a" >> "$D/calls.log"; done
        echo "--" >> "$D/calls.log"
        case "$1" in
          plugin)
            echo "NAME VERSION DESCRIPTION"
            if [ -f "$D/diff-installed" ]; then echo "diff 3.9.0 Preview helm upgrade changes as a diff"; fi ;;
          diff)
            echo "shop-staging, web, Deployment (apps) has changed:"
            echo "-         image: web:1.1"
            echo "+         image: web:1.2" ;;
          version)
            if [ -f "$D/version" ]; then cat "$D/version"; else echo "v3.17.0+g1234567"; fi ;;
          upgrade)
            if [ -f "$D/outlive" ]; then
              # as helm upgrade: SIGTERM cancels it ("has been cancelled"); with --atomic it then
              # rolls back (waiting again) and fails "rolled back due to atomic being set"
              trap 'echo TERM >> "$D/signals.log"
                    echo "Release web has been cancelled."
                    if [ ! -f "$D/stuck" ]; then
                      sleep 0.05
                      echo "Error: UPGRADE FAILED: release web failed, and has been rolled back due to atomic being set: context canceled" >&2
                      echo rolled-back >> "$D/signals.log"
                      exit 1
                    fi' TERM
              while :; do sleep 0.05; done
            fi
            if [ -f "$D/fail" ]; then echo "Error: UPGRADE FAILED: timed out waiting for the condition" >&2; exit 1; fi
            case " $* " in *" --output json "*)
              echo '{"name":"web","namespace":"shop-staging","version":4,"info":{"status":"deployed","description":"Upgrade complete"}}'
              exit 0 ;; esac
            echo "Release \\"web\\" has been upgraded. Happy Helming!"
            echo "NAME: web"
            echo "LAST DEPLOYED: $(date)"
            echo "NAMESPACE: shop-staging"
            case " $* " in *" --dry-run "*) echo "STATUS: pending-upgrade"; echo "REVISION: 4"; echo "HOOKS:" ;;
                          *) echo "STATUS: deployed"; echo "REVISION: 4" ;; esac ;;
          history) cat "$D/history.json" ;;
          rollback) echo "Rollback was a success! Happy Helming!" ;;
          repo)
            env | sort > "$D/repo-env.log"
            if [ -f "$D/repo-fail" ]; then
              echo "Error: looks like \\"$4\\" is not a valid chart repository or cannot be reached: 404 Not Found" >&2; exit 1
            fi
            echo "\\"$3\\" has been added to your repositories" ;;
        esac
        """);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    helm = new HelmCli(script.toString(), HelmRepositories.of(REPO));
    EnvironmentConfig staging =
        new EnvironmentConfig(
            "staging",
            "{app}-staging",
            false,
            ApprovalPolicy.DEFAULT,
            "staging-ctx",
            false,
            false,
            Map.of());
    context =
        new RecordingStepContext(
            new IntentbotConfig(
                List.of("shop"), Map.of("staging", staging), Map.of(), Map.of(), Map.of()),
            staging,
            "shop",
            dir);
  }

  /**
   * Each helm call's arguments, but {@code helm version} (asked once, for Helm 3 or 4) and {@code
   * helm repo} (asserted on their own).
   */
  private List<List<String>> calls() throws IOException {
    return allCalls().stream()
        .filter(c -> !c.get(0).equals("version") && !c.get(0).equals("repo"))
        .toList();
  }

  private List<List<String>> allCalls() throws IOException {
    if (!Files.exists(log)) {
      return List.of();
    }
    return Arrays.stream(Files.readString(log).split("--\n"))
        .filter(s -> !s.isBlank())
        .map(s -> List.of(s.split("\n")))
        .toList();
  }

  @Test
  void upgradeRunsHelmUpgradeInstallWithTheArgumentList() throws Exception {
    Files.createDirectories(dir.resolve("charts/web"));
    Files.writeString(dir.resolve("prod.yaml"), "replicas: 3\n");
    var step = new HelmUpgradeStepType(helm);

    StepResult result =
        step.execute(
            with(
                "release",
                "web",
                "chart",
                "charts/web",
                "version",
                "1.2.0",
                "values_files",
                List.of("prod.yaml"),
                "values",
                Map.of("image", Map.of("tag", "1.2")),
                "timeout",
                "2m"),
            context);

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs())
        .containsEntry("revision", 4L)
        .containsEntry("status", "deployed")
        .containsEntry("namespace", "shop-staging");
    List<String> args = calls().get(0);
    assertThat(args.subList(0, 4))
        .containsExactly("upgrade", "--install", "web", dir.resolve("charts/web").toString());
    assertThat(args)
        .containsSubsequence("--namespace", "shop-staging")
        .containsSubsequence("--kube-context", "staging-ctx")
        .containsSubsequence("--version", "1.2.0")
        .containsSubsequence("--values", dir.resolve("prod.yaml").toString())
        .contains("--atomic")
        .containsSubsequence("--timeout", "120s");
    String valuesFile = args.get(args.lastIndexOf("--values") + 1);
    assertThat(valuesFile).isNotEqualTo(dir.resolve("prod.yaml").toString());
    assertThat(Path.of(valuesFile)).doesNotExist();
    assertThat(context.lines()).contains("release web: revision 4, deployed");
  }

  @Test
  void upgradeParsesHelmsJsonRecordsADescriptionAndGivesAtomicRoomToRollBack() throws Exception {
    var step = new HelmUpgradeStepType(helm);

    StepResult result =
        step.execute(with("release", "web", "chart", "repo/web", "timeout", "5m"), context);

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(result.outputs()).containsEntry("revision", 4L).containsEntry("status", "deployed");
    assertThat(calls().get(0))
        .containsSubsequence("--output", "json")
        .containsSubsequence("--description", "intentbot run r-test by U_TEST")
        .contains("--atomic")
        .doesNotContain("--rollback-on-failure", "--reuse-values");
    assertThat(allCalls())
        .filteredOn(c -> !c.get(0).equals("repo"))
        .first()
        .isEqualTo(List.of("version", "--short"));
    assertThat(context.lines()).noneMatch(l -> l.startsWith("{"));
    // --atomic waits up to the timeout for the upgrade, then again for its rollback
    assertThat(HelmCli.processTimeout(Duration.ofMinutes(5), true))
        .isEqualTo(Duration.ofMinutes(11));
    assertThat(HelmCli.processTimeout(Duration.ofMinutes(5), false))
        .isEqualTo(Duration.ofMinutes(6));
  }

  /** helm with a stop margin of {@code margin}, as config {@code helm.stop_margin} gives it. */
  private HelmCli helmStoppedAfter(Duration margin) {
    return new HelmCli(
        dir.resolve("helm").toString(),
        HelmRepositories.of(REPO),
        Map.of(),
        new ProcessRunner(),
        margin);
  }

  @Test
  void anAtomicUpgradePastItsTimeoutGetsSigtermAndTheTimeoutAgainToRollBackBeforeAnySigkill()
      throws Exception {
    Files.writeString(dir.resolve("outlive"), "");
    // SIGTERM after 2 x 250ms + 500ms, then 250ms + 500ms for helm's own rollback
    var step = new HelmUpgradeStepType(helmStoppedAfter(Duration.ofMillis(500)));

    long start = System.nanoTime();
    StepResult result =
        step.execute(with("release", "web", "chart", "repo/web", "timeout", "250ms"), context);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(result.failed()).isTrue();
    assertThat(Files.readAllLines(dir.resolve("signals.log")))
        .containsExactly("TERM", "rolled-back");
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(result.reason())
        .startsWith(
            "helm upgrade web was still running after 1s and was sent SIGTERM; it ended within"
                + " the 750ms grace (exit 1)")
        .contains("rolled back due to atomic being set: context canceled");
    assertThat(context.lines()).contains("Release web has been cancelled.");
    assertThat(calls().get(0)).containsSubsequence("--timeout", "250ms");
  }

  @Test
  void anUpgradeThatOutlivesTheGraceAfterSigtermIsKilledAndTheStepSaysTheReleaseMayBePending()
      throws Exception {
    Files.writeString(dir.resolve("outlive"), "");
    Files.writeString(dir.resolve("stuck"), "");
    var step = new HelmUpgradeStepType(helmStoppedAfter(Duration.ofMillis(300)));

    long start = System.nanoTime();
    StepResult result =
        step.execute(
            with("release", "web", "chart", "repo/web", "timeout", "200ms", "atomic", false),
            context);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(result.failed()).isTrue();
    // it got SIGTERM (and said so) and only the kill, the grace later, ended it
    assertThat(Files.readAllLines(dir.resolve("signals.log"))).containsExactly("TERM");
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(500 + 300));
    assertThat(result.reason())
        .startsWith(
            "helm upgrade web was still running after 500ms and was sent SIGTERM; it was still"
                + " running 300ms later and was killed (SIGKILL): the release may be left pending");
  }

  @Test
  void helm4GetsRollbackOnFailureAndPartialValuesCanKeepTheEarlierOnes() throws Exception {
    Files.writeString(dir.resolve("version"), "v4.0.1+g7a1b2c3\n");
    var step = new HelmUpgradeStepType(helm);

    StepResult result =
        step.execute(
            with(
                "release",
                "web",
                "chart",
                "repo/web",
                "values",
                Map.of("image", Map.of("tag", "1.3")),
                "reuse_values",
                "reset-then-reuse",
                "description",
                "deploy 1.3"),
            context);

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(calls().get(0))
        .contains("--rollback-on-failure", "--reset-then-reuse-values")
        .doesNotContain("--atomic")
        .containsSubsequence("--description", "deploy 1.3");
  }

  @Test
  void theDryRunPlanHidesSecrets() throws Exception {
    new HelmUpgradeStepType(helm).plan(with("release", "web", "chart", "repo/web"), context);

    assertThat(calls().get(1)).contains("--dry-run", "--hide-secret");
  }

  @Test
  void dryRunUsesHelmDiffWhenThePluginIsInstalled() throws Exception {
    Files.createFile(dir.resolve("diff-installed"));
    var step = new HelmUpgradeStepType(helm);

    var plan = step.plan(with("release", "web", "chart", "repo/web", "version", "1.2.0"), context);

    assertThat(plan.summary())
        .isEqualTo("helm upgrade --install web repo/web 1.2.0 in namespace shop-staging");
    assertThat(plan.details())
        .containsExactly(
            "chart repository repo: https://charts.example/repo (index refreshed)",
            "helm diff:",
            "shop-staging, web, Deployment (apps) has changed:",
            "-         image: web:1.1",
            "+         image: web:1.2");
    assertThat(calls())
        .extracting(c -> c.get(0))
        .containsExactly("plugin", "diff")
        .doesNotContain("upgrade");
    assertThat(calls().get(1))
        .containsSubsequence("diff", "upgrade", "web", "repo/web", "--allow-unreleased");
  }

  @Test
  void dryRunFallsBackToHelmDryRunAndIsDeterministic() throws Exception {
    var step = new HelmUpgradeStepType(helm);
    var input = with("release", "web", "chart", "repo/web");

    var plan = step.plan(input, context);
    var again = step.plan(input, context);

    assertThat(plan).isEqualTo(again);
    assertThat(plan.details())
        .startsWith(
            "chart repository repo: https://charts.example/repo (index refreshed)",
            "helm --dry-run (helm-diff plugin not installed):");
    assertThat(plan.details())
        .contains("STATUS: pending-upgrade")
        .noneMatch(l -> l.startsWith("LAST DEPLOYED"));
    assertThat(calls().get(1)).contains("--dry-run").startsWith("upgrade", "--install");
  }

  @Test
  void upgradeFailureCarriesHelmsError() throws Exception {
    Files.createFile(dir.resolve("fail"));

    StepResult result =
        new HelmUpgradeStepType(helm).execute(with("release", "web", "chart", "repo/web"), context);

    assertThat(result.failed()).isTrue();
    assertThat(result.reason())
        .isEqualTo(
            "helm upgrade web failed: Error: UPGRADE FAILED: timed out waiting for the condition");
  }

  @Test
  void aRepositoryChartGetsItsConfiguredRepositoryAddedWithAFreshIndexBeforeTheUpgrade()
      throws Exception {
    Path homes = Files.createDirectories(dir.resolve("homes"));
    Map<String, String> bot =
        Map.of(
            "PATH", System.getenv("PATH"),
            "HOME", "/home/bot",
            "HELM_CACHE_HOME", homes.resolve("cache").toString(),
            "HELM_CONFIG_HOME", homes.resolve("config").toString(),
            "HELM_DATA_HOME", homes.resolve("data").toString(),
            "SLACK_BOT_TOKEN", "xoxb-do-not-leak");
    var imageHelm =
        new HelmCli(
            dir.resolve("helm").toString(),
            HelmRepositories.of(REPO),
            bot,
            new ProcessRunner(bot, Duration.ofMillis(500)));

    StepResult result =
        new HelmUpgradeStepType(imageHelm)
            .execute(with("release", "web", "chart", "repo/web", "version", "1.2.0"), context);

    assertThat(result.success()).as(result.reason()).isTrue();
    assertThat(allCalls())
        .containsExactly(
            List.of("repo", "add", "repo", "https://charts.example/repo", "--force-update"),
            List.of("version", "--short"),
            List.of(
                "upgrade",
                "--install",
                "web",
                "repo/web",
                "--namespace",
                "shop-staging",
                "--kube-context",
                "staging-ctx",
                "--version",
                "1.2.0",
                "--atomic",
                "--timeout",
                "300s",
                "--description",
                "intentbot run r-test by U_TEST",
                "--output",
                "json"));
    assertThat(
            Files.readAllLines(dir.resolve("repo-env.log")).stream()
                .filter(line -> !line.matches("(PWD|OLDPWD|SHLVL|_)=.*")))
        .containsExactly(
            "HELM_CACHE_HOME=" + homes.resolve("cache"),
            "HELM_CONFIG_HOME=" + homes.resolve("config"),
            "HELM_DATA_HOME=" + homes.resolve("data"),
            "HELM_NO_PLUGINS_WARNING=1",
            "HOME=/home/bot",
            "PATH=" + System.getenv("PATH"));
    assertThat(context.lines())
        .startsWith(
            "$ helm repo add repo https://charts.example/repo --force-update",
            "\"repo\" has been added to your repositories");
  }

  @Test
  void theDryRunRefreshesTheRepositoryFirstAndShowsWhereTheChartComesFrom() throws Exception {
    var plan =
        new HelmUpgradeStepType(helm).plan(with("release", "web", "chart", "repo/web"), context);

    assertThat(plan.details())
        .first()
        .isEqualTo("chart repository repo: https://charts.example/repo (index refreshed)");
    assertThat(allCalls())
        .extracting(c -> c.get(0) + " " + c.get(1))
        .containsExactly("repo add", "plugin list", "version --short", "upgrade --install");
  }

  @Test
  void aChartNamingAnUnknownRepositoryFailsClosedBeforeHelmRuns() throws Exception {
    var step = new HelmUpgradeStepType(helm);
    var input = with("release", "web", "chart", "bitnami/nginx");

    StepResult result = step.execute(input, context);

    String expected =
        "chart 'bitnami/nginx' names chart repository 'bitnami', which the intentbot config does"
            + " not list (configured: repo), and is no chart folder or .tgz in the intents folder"
            + " (looked at "
            + dir.resolve("bitnami/nginx")
            + "): add it to the config as helm: { repositories: [{ name: bitnami, url:"
            + " https://... }] }, or fix the chart";
    assertThat(result.failed()).isTrue();
    assertThat(result.reason()).isEqualTo(expected);
    assertThatThrownBy(() -> step.plan(input, context))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(expected);
    assertThat(
            new HelmUpgradeStepType(new HelmCli(dir.resolve("helm").toString()))
                .execute(with("release", "web", "chart", "web"), context)
                .reason())
        .isEqualTo(
            "chart 'web' is no chart folder or .tgz in the intents folder (looked at "
                + dir.resolve("web")
                + "), no REPO/CHART of a chart repository in helm.repositories (none is"
                + " configured) and no oci:// or https:// URL");
    assertThat(allCalls()).isEmpty();
  }

  @Test
  void aRepositoryThatCannotBeReachedFailsTheUpgradeBeforeItStartsNamingTheConfig()
      throws Exception {
    Files.createFile(dir.resolve("repo-fail"));
    var step = new HelmUpgradeStepType(helm);
    var input = with("release", "web", "chart", "repo/web");

    StepResult result = step.execute(input, context);
    var plan = step.plan(input, context);

    String reason =
        "helm repo add repo https://charts.example/repo failed: Error: looks like"
            + " \"https://charts.example/repo\" is not a valid chart repository or cannot be"
            + " reached: 404 Not Found (check helm.repositories in the intentbot config and that"
            + " the bot reaches the URL)";
    assertThat(result.failed()).isTrue();
    assertThat(result.reason()).isEqualTo(reason);
    assertThat(plan.summary())
        .isEqualTo(
            "helm upgrade --install web repo/web in namespace shop-staging (would fail: "
                + reason
                + ")");
    assertThat(allCalls()).extracting(c -> c.get(0)).containsOnly("repo");
  }

  @Test
  void localAndOciChartsNeedNoRepository() throws Exception {
    Files.createDirectories(dir.resolve("charts/web"));
    var step = new HelmUpgradeStepType(new HelmCli(dir.resolve("helm").toString()));

    StepResult local = step.execute(with("release", "web", "chart", "charts/web"), context);
    StepResult oci =
        step.execute(with("release", "web", "chart", "oci://registry.example/web"), context);

    assertThat(local.success()).as(local.reason()).isTrue();
    assertThat(oci.success()).as(oci.reason()).isTrue();
    assertThat(allCalls()).noneMatch(c -> c.get(0).equals("repo"));
  }

  @Test
  void missingHelmFailsTheStepSayingSoAndHowToGetIt() throws Exception {
    var step =
        new HelmUpgradeStepType(
            new HelmCli(dir.resolve("no-such-helm").toString(), HelmRepositories.of(REPO)));

    StepResult result = step.execute(with("release", "web", "chart", "repo/web"), context);
    var plan = step.plan(with("release", "web", "chart", "repo/web"), context);

    assertThat(result.failed()).isTrue();
    assertThat(result.reason())
        .startsWith("helm is not installed")
        .contains("https://helm.sh/docs/intro/install/");
    assertThat(plan.summary()).contains("would fail: helm is not installed");
  }

  @Test
  void historyListsRevisionsNewestFirst() throws Exception {
    StepResult result =
        new HelmHistoryStepType(helm).execute(with("release", "web", "max", 5), context);

    @SuppressWarnings("unchecked")
    var rows = (List<Map<String, Object>>) result.outputs().get("revisions");
    assertThat(rows).extracting(r -> r.get("revision")).containsExactly(3L, 2L, 1L);
    assertThat(rows.get(0)).containsEntry("status", "deployed").containsEntry("chart", "web-1.2.0");
    assertThat(result.outputs())
        .containsEntry("current_revision", 3L)
        .containsEntry("previous_revision", 2L);
    assertThat(calls().get(0)).containsSubsequence("history", "web", "--max", "5", "-o", "json");
  }

  @Test
  void rollbackChecksTheRevisionExistsFirst() throws Exception {
    var step = new HelmRollbackStepType(helm);

    StepResult previous = step.execute(with("release", "web"), context);
    StepResult missing = step.execute(with("release", "web", "revision", 9), context);

    assertThat(previous.success()).as(previous.reason()).isTrue();
    assertThat(previous.outputs())
        .containsEntry("from_revision", 3L)
        .containsEntry("to_revision", 2L);
    assertThat(missing.failed()).isTrue();
    assertThat(missing.reason())
        .isEqualTo("revision 9 of release web does not exist (known: [3, 2, 1])");
    assertThat(calls()).extracting(c -> c.get(0)).containsExactly("history", "rollback", "history");
    assertThat(calls().get(1))
        .containsSubsequence("rollback", "web", "2", "--namespace", "shop-staging");
    assertThat(step.plan(with("release", "web", "revision", 1), context).summary())
        .isEqualTo("Roll back Helm release shop-staging/web from revision 3 to 1");
  }

  @Test
  void impersonatingEnvironmentsPassTheRequestersIdentityToHelm() throws Exception {
    EnvironmentConfig production =
        new EnvironmentConfig(
            "production", "{app}", true, ApprovalPolicy.DEFAULT, null, false, true, Map.of());
    IntentbotConfig config =
        new IntentbotConfig(
            List.of("shop"),
            Map.of("production", production),
            Map.of(),
            Map.of("U_ALICE", new IntentbotConfig.UserMapping("alice", List.of("sre"))),
            Map.of());
    var asAlice =
        new RecordingStepContext(config, production, "shop", dir).withRequester("U_ALICE");
    var asNobody =
        new RecordingStepContext(config, production, "shop", dir).withRequester("U_NOBODY");
    var step = new HelmHistoryStepType(helm);

    StepResult allowed = step.execute(with("release", "web"), asAlice);
    StepResult refused = step.execute(with("release", "web"), asNobody);

    assertThat(allowed.success()).as(allowed.reason()).isTrue();
    assertThat(calls().get(0))
        .containsSubsequence(
            "--namespace", "shop", "--kube-as-user", "alice", "--kube-as-group", "sre");
    assertThat(refused.reason()).contains("user 'U_NOBODY' has no Kubernetes identity");
    assertThat(calls()).hasSize(1);
  }

  @Test
  void helmGetsItsOwnVariablesAndNoneOfTheBotsSecrets() throws Exception {
    Path script = dir.resolve("env-helm");
    Files.writeString(script, "#!/bin/sh\nenv > \"$(dirname \"$0\")/env.log\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Map<String, String> bot =
        Map.of(
            "PATH", System.getenv("PATH"),
            "HOME", "/home/bot",
            "KUBECONFIG", "/etc/kube/config",
            "KUBECACHEDIR", "/tmp/kube-cache",
            "HELM_CACHE_HOME", "/var/cache/helm",
            "HELM_CONFIG_HOME", "/etc/helm",
            "SLACK_SIGNING_SECRET", "do-not-leak",
            "SLACK_BOT_TOKEN", "xoxb-do-not-leak",
            "INTENTBOT_DB_PASSWORD", "nor-this");
    var envHelm =
        new HelmCli(script.toString(), bot, new ProcessRunner(bot, Duration.ofMillis(500)));

    HelmCli.Result result = envHelm.run(List.of("version"), Duration.ofSeconds(30), line -> {});

    assertThat(result.ok()).isTrue();
    List<String> env = Files.readAllLines(dir.resolve("env.log"));
    assertThat(env)
        .contains(
            "KUBECONFIG=/etc/kube/config",
            "KUBECACHEDIR=/tmp/kube-cache",
            "HELM_CACHE_HOME=/var/cache/helm",
            "HELM_CONFIG_HOME=/etc/helm",
            "HELM_NO_PLUGINS_WARNING=1",
            "HOME=/home/bot")
        .noneMatch(line -> line.contains("do-not-leak") || line.contains("nor-this"))
        .noneMatch(line -> line.startsWith("SLACK_") || line.startsWith("INTENTBOT_"));
  }

  @Test
  void eachHelmStepTypeDeclaresExactlyTheOutputsItReturnsSoLintCanCheckReaders() throws Exception {
    var upgrade = new HelmUpgradeStepType(helm);
    var history = new HelmHistoryStepType(helm);
    var rollback = new HelmRollbackStepType(helm);

    StepResult upgraded =
        upgrade.execute(with("release", "web", "chart", "oci://registry.example/web"), context);
    StepResult listed = history.execute(with("release", "web"), context);
    StepResult rolledBack = rollback.execute(with("release", "web"), context);

    assertThat(upgrade.outputs()).hasValue(upgraded.outputs().keySet());
    assertThat(history.outputs()).hasValue(listed.outputs().keySet());
    assertThat(rollback.outputs()).hasValue(rolledBack.outputs().keySet());
  }

  @Test
  void upgradeReadsItsValuesFilesAndALocalChartSoThePlanBindsThem() throws Exception {
    Files.createDirectories(dir.resolve("charts/web"));
    Files.writeString(dir.resolve("charts/web/Chart.yaml"), "name: web\n");
    Files.writeString(dir.resolve("prod.yaml"), "replicas: 3\n");
    Files.writeString(dir.resolve("web-1.2.0.tgz"), "a packaged chart");
    var step = new HelmUpgradeStepType(helm);

    assertThat(
            step.reads(
                with("release", "web", "chart", "charts/web", "values_files", List.of("prod.yaml")),
                context))
        .containsExactly(dir.resolve("prod.yaml"), dir.resolve("charts/web"));
    assertThat(step.reads(with("release", "web", "chart", "web-1.2.0.tgz"), context))
        .containsExactly(dir.resolve("web-1.2.0.tgz"));
    assertThat(
            step.reads(
                with(
                    "release",
                    "web",
                    "chart",
                    "oci://registry.example/web",
                    "values_files",
                    List.of("prod.yaml")),
                context))
        .as("a chart from a repository is pinned by its version, not read from disk")
        .containsExactly(dir.resolve("prod.yaml"));
    assertThat(step.reads(with("release", "web", "chart", "bitnami/nginx"), context)).isEmpty();
  }
}
