package io.intentbot.kubernetes.helm;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.intentbot.engine.json.Json;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.ClusterAccessException;
import io.intentbot.kubernetes.Inputs;
import io.intentbot.kubernetes.Namespaced;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code helm.upgrade}: {@code helm upgrade --install} of a chart. The dry run shows {@code helm
 * diff upgrade} when the helm-diff plugin is installed, else the output of {@code helm upgrade
 * --install --dry-run --hide-secret} (without its timestamp line, so the plan stays the same for
 * the same input; the rendered Secrets never reach chat). The upgrade itself runs with {@code
 * --output json} (the revision and status are read from the release it prints) and {@code
 * --description}, and is stopped only after twice its timeout plus a minute when it rolls back on
 * failure, so Helm's own rollback can finish, then with SIGTERM, on which helm cancels and rolls
 * back, with its timeout plus a minute to do so before SIGKILL ({@link HelmCli#stop}; the minute is
 * config {@code helm.stop_margin}). A stopped upgrade fails saying which of the two ended it.
 *
 * <p><b>Charts from a repository.</b> A chart named {@code REPO/CHART} needs {@code REPO} in config
 * ({@code helm: { repositories: [{ name, url }] }}); before the dry run and before the upgrade,
 * {@code helm repo add REPO URL --force-update} adds it (or points an entry of that name back at
 * the configured URL) and downloads its index, as {@code helm repo update REPO} would, so a version
 * published since the last run is found. A chart naming an unknown repository fails closed before
 * helm runs ({@link HelmChart}); local charts and {@code oci://} charts need no repository.
 *
 * <pre>{@code
 * with:
 *   release: web
 *   chart: charts/web                  # a path (relative to the intents folder), oci://..., or
 *                                      # REPO/CHART of a repository in config helm.repositories
 *   version: 1.4.2
 *   values_files: [values/production.yaml]
 *   values: { image: { tag: 1.4.2 } }  # written to a temporary file, passed after values_files
 *   atomic: true                       # default true: --atomic (Helm 3), --rollback-on-failure (4)
 *   rollback_on_failure: true          # the same, by Helm 4's name; wins over atomic
 *   reuse_values: reset-then-reuse     # none (default, Helm's), reuse, reset-then-reuse: what
 *                                      # happens to values given to earlier upgrades
 *   description: why                   # --description; default: the run and requester
 *   wait: false
 *   create_namespace: false
 *   timeout: 5m
 * }</pre>
 *
 * Outputs: {@code release}, {@code namespace}, {@code revision}, {@code status}.
 */
public final class HelmUpgradeStepType extends HelmStepType<HelmUpgradeStepType.Input> {

  public static final String NAME = "helm.upgrade";

  /**
   * The {@code with:} block; {@code values} stays null when absent (then no values file is
   * written), {@code atomic} defaults to true.
   */
  public record Input(
      String namespace,
      String release,
      String chart,
      String version,
      List<String> valuesFiles,
      Map<String, Object> values,
      Boolean atomic,
      Boolean rollbackOnFailure,
      @JsonProperty("wait") boolean waitForResources,
      boolean createNamespace,
      String reuseValues,
      String description,
      Duration timeout)
      implements Namespaced {
    public Input {
      valuesFiles = Inputs.list(valuesFiles);
      values = values == null ? null : Inputs.map(values);
      atomic = Inputs.or(atomic, true);
      reuseValues = Inputs.or(reuseValues, "none");
      timeout = Inputs.or(timeout, Duration.ofMinutes(5));
    }

    /**
     * Whether a failed upgrade is rolled back: {@code rollback_on_failure}, else {@code atomic}.
     */
    boolean rollsBack() {
      return rollbackOnFailure != null ? rollbackOnFailure : atomic;
    }
  }

  private static final ObjectMapper YAML = Json.YAML;
  private static final Pattern REVISION = Pattern.compile("(?m)^REVISION:\\s*(\\d+)");
  private static final Pattern STATUS = Pattern.compile("(?m)^STATUS:\\s*(\\S+)");
  private static final int MAX_PLAN_LINES = 200;

  /** How long {@code helm repo add} may take (it downloads the repository's index). */
  private static final Duration REPO_TIMEOUT = Duration.ofMinutes(2);

  public HelmUpgradeStepType(HelmCli helm) {
    super(NAME, "Install or upgrade a Helm release (helm upgrade --install)", Input.class, helm);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("release", "namespace", "revision", "status"));
  }

  @Override
  protected StepPlan describe(Input input, StepContext context) throws InterruptedException {
    String release = input.release();
    String summary =
        "helm upgrade --install "
            + release
            + " "
            + input.chart()
            + (input.version() == null ? "" : " " + input.version())
            + " in namespace "
            + namespace(input, context);
    HelmChart chart = HelmChart.resolve(input.chart(), context.intentsDir(), helm.repositories());
    Path values = valuesFile(input);
    try {
      Optional<String> refreshFailed = refresh(chart, line -> {});
      if (refreshFailed.isPresent()) {
        return StepPlan.of(summary + " (would fail: " + refreshFailed.get() + ")");
      }
      boolean diff = hasDiffPlugin();
      List<String> args = new ArrayList<>();
      if (diff) {
        args.addAll(List.of("diff", "upgrade", release, chart.argument(), "--allow-unreleased"));
        args.addAll(chartArgs(input, context, values));
      } else {
        args.addAll(upgradeArgs(input, chart, context, values, helm.majorVersion()));
        args.add("--dry-run");
        // the plan goes to chat: the rendered Secrets stay out of it
        args.add("--hide-secret");
      }
      HelmCli.Result result = helm.run(args, Duration.ofMinutes(2), line -> {});
      if (!result.ok()) {
        return StepPlan.of(summary + " (would fail: " + result.error() + ")");
      }
      List<String> details = new ArrayList<>();
      chart
          .repository()
          .ifPresent(
              r ->
                  details.add(
                      "chart repository " + r.name() + ": " + r.url() + " (index refreshed)"));
      details.add(diff ? "helm diff:" : "helm --dry-run (helm-diff plugin not installed):");
      result
          .stdout()
          .lines()
          .filter(line -> !line.startsWith("LAST DEPLOYED:"))
          .limit(MAX_PLAN_LINES)
          .forEach(details::add);
      if (result.stdout().lines().count() > MAX_PLAN_LINES) {
        details.add("... (cut at " + MAX_PLAN_LINES + " lines)");
      }
      return StepPlan.of(summary, details);
    } catch (ClusterAccessException e) {
      return StepPlan.of(summary + " (would fail: " + e.getMessage() + ")");
    } finally {
      delete(values);
    }
  }

  @Override
  protected StepResult run(Input input, StepContext context) throws InterruptedException {
    String release = input.release();
    HelmChart chart = HelmChart.resolve(input.chart(), context.intentsDir(), helm.repositories());
    Optional<String> refreshFailed = refresh(chart, context.output()::line);
    if (refreshFailed.isPresent()) {
      return StepResult.failed(refreshFailed.get());
    }
    Path values = valuesFile(input);
    try {
      List<String> args = upgradeArgs(input, chart, context, values, helm.majorVersion());
      args.add("--description");
      args.add(
          Inputs.or(
              input.description(),
              "intentbot run " + context.runId() + " by " + context.requester()));
      args.add("--output");
      args.add("json");
      context.output().line("$ helm " + String.join(" ", args));
      HelmCli.Result result =
          helm.run(
              args,
              helm.stop(input.timeout(), input.rollsBack()),
              line -> {
                if (!line.startsWith("{")) {
                  context.output().line(line);
                }
              });
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put("release", release);
      outputs.put("namespace", namespace(input, context));
      Map<String, Object> json = releaseJson(result.stdout());
      Object info = json.get("info");
      Object revision = json.get("version");
      Object status = info instanceof Map<?, ?> m ? m.get("status") : null;
      outputs.put(
          "revision",
          revision instanceof Number n
              ? n.longValue()
              : find(REVISION, result.stdout()).map(Long::parseLong).orElse(0L));
      outputs.put(
          "status",
          status != null
              ? String.valueOf(status)
              : find(STATUS, result.stdout()).orElse(result.ok() ? "deployed" : "failed"));
      if (result.stopped() != null) {
        context.output().lines(result.stderr());
        return StepResult.failed(
            HelmCli.describe("helm upgrade " + release, result.stopped(), result), outputs);
      }
      if (!result.ok()) {
        context.output().lines(result.stderr());
        return StepResult.failed("helm upgrade " + release + " failed: " + result.error(), outputs);
      }
      context
          .output()
          .line(
              "release "
                  + release
                  + ": revision "
                  + outputs.get("revision")
                  + ", "
                  + outputs.get("status"));
      return StepResult.succeeded(outputs);
    } finally {
      delete(values);
    }
  }

  /** The release helm printed with {@code --output json}; empty when it printed something else. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> releaseJson(String stdout) {
    String text = stdout.strip();
    int start = text.indexOf('{');
    if (start < 0) {
      return Map.of();
    }
    try {
      return Json.MAPPER.readValue(text.substring(start), Map.class);
    } catch (IOException | ClassCastException e) {
      return Map.of();
    }
  }

  /**
   * Adds the chart's repository and downloads its index ({@link HelmRepository#addArgs}); nothing
   * for a local or URL chart. Each line helm prints goes to {@code lines}.
   *
   * @return why it failed, naming the config to check; empty when done
   */
  private Optional<String> refresh(HelmChart chart, java.util.function.Consumer<String> lines)
      throws InterruptedException {
    if (chart.repository().isEmpty()) {
      return Optional.empty();
    }
    HelmRepository repository = chart.repository().get();
    List<String> args = repository.addArgs();
    lines.accept("$ helm " + String.join(" ", args));
    HelmCli.Result result = helm.run(args, REPO_TIMEOUT, lines);
    if (result.ok()) {
      return Optional.empty();
    }
    return Optional.of(
        "helm repo add "
            + repository.name()
            + " "
            + repository.url()
            + " failed: "
            + result.error()
            + " (check helm.repositories in the intentbot config and that the bot reaches the URL)");
  }

  private boolean hasDiffPlugin() throws InterruptedException {
    HelmCli.Result plugins =
        helm.run(List.of("plugin", "list"), Duration.ofSeconds(30), line -> {});
    return plugins.ok()
        && plugins.stdout().lines().anyMatch(line -> line.trim().startsWith("diff"));
  }

  private static List<String> upgradeArgs(
      Input input, HelmChart chart, StepContext context, Path values, int helmMajor) {
    List<String> args =
        new ArrayList<>(List.of("upgrade", "--install", input.release(), chart.argument()));
    args.addAll(chartArgs(input, context, values));
    if (input.rollsBack()) {
      // Helm 4 deprecates --atomic for --rollback-on-failure; Helm 3 knows only --atomic
      args.add(helmMajor >= 4 ? "--rollback-on-failure" : "--atomic");
    }
    switch (input.reuseValues()) {
      case "reuse" -> args.add("--reuse-values");
      case "reset-then-reuse" -> args.add("--reset-then-reuse-values");
      case "none" -> {}
      default ->
          throw new IllegalArgumentException(
              "reuse_values must be none, reuse or reset-then-reuse, not '"
                  + input.reuseValues()
                  + "'");
    }
    if (input.waitForResources()) {
      args.add("--wait");
    }
    if (input.createNamespace()) {
      args.add("--create-namespace");
    }
    args.add("--timeout");
    args.add(HelmCli.goDuration(input.timeout()));
    return args;
  }

  /** Namespace, cluster flags, version and values files: what upgrade and diff share. */
  private static List<String> chartArgs(Input input, StepContext context, Path values) {
    List<String> args = new ArrayList<>(target(input, context));
    if (input.version() != null) {
      args.add("--version");
      args.add(input.version());
    }
    for (String file : input.valuesFiles()) {
      Path path = context.intentsDir().resolve(file);
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException(
            "values file " + file + " does not exist (looked at " + path + ")");
      }
      args.add("--values");
      args.add(path.toString());
    }
    if (values != null) {
      args.add("--values");
      args.add(values.toString());
    }
    return args;
  }

  /**
   * The values files and a local chart (folder or {@code .tgz}): the plan hash covers their
   * contents, so an approval given on the plan cancels the run when one of them changes.
   */
  @Override
  protected List<Path> reads(Input input, StepContext context) {
    List<Path> reads = new ArrayList<>();
    input.valuesFiles().forEach(file -> reads.add(context.intentsDir().resolve(file)));
    HelmChart.local(input.chart(), context.intentsDir()).ifPresent(reads::add);
    return reads;
  }

  private static Path valuesFile(Input input) {
    if (input.values() == null) {
      return null;
    }
    try {
      Path file = Files.createTempFile("intentbot-values-", ".yaml");
      YAML.writeValue(file.toFile(), input.values());
      return file;
    } catch (IOException e) {
      throw new ClusterAccessException("could not write the values file: " + e.getMessage(), e);
    }
  }

  private static void delete(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temporary file; the OS cleans up
      }
    }
  }

  private static java.util.Optional<String> find(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    String last = null;
    while (m.find()) {
      last = m.group(1);
    }
    return java.util.Optional.ofNullable(last);
  }
}
