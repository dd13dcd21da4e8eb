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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code helm.upgrade}: {@code helm upgrade --install} of a chart. The dry run shows {@code helm
 * diff upgrade} when the helm-diff plugin is installed, else the output of {@code helm upgrade
 * --install --dry-run} (without its timestamp line, so the plan stays the same for the same input).
 *
 * <pre>{@code
 * with:
 *   release: web
 *   chart: charts/web                  # a path (relative to the intents folder), repo/chart or oci://
 *   version: 1.4.2
 *   values_files: [values/production.yaml]
 *   values: { image: { tag: 1.4.2 } }  # written to a temporary file, passed after values_files
 *   atomic: true                       # default true
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
      @JsonProperty("wait") boolean waitForResources,
      boolean createNamespace,
      Duration timeout)
      implements Namespaced {
    public Input {
      valuesFiles = Inputs.list(valuesFiles);
      values = values == null ? null : Inputs.map(values);
      atomic = Inputs.or(atomic, true);
      timeout = Inputs.or(timeout, Duration.ofMinutes(5));
    }
  }

  private static final ObjectMapper YAML = Json.YAML;
  private static final Pattern REVISION = Pattern.compile("(?m)^REVISION:\\s*(\\d+)");
  private static final Pattern STATUS = Pattern.compile("(?m)^STATUS:\\s*(\\S+)");
  private static final int MAX_PLAN_LINES = 200;

  public HelmUpgradeStepType(HelmCli helm) {
    super(NAME, "Install or upgrade a Helm release (helm upgrade --install)", Input.class, helm);
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
    Path values = valuesFile(input);
    try {
      boolean diff = hasDiffPlugin();
      List<String> args = new ArrayList<>();
      if (diff) {
        args.addAll(
            List.of("diff", "upgrade", release, chart(input, context), "--allow-unreleased"));
        args.addAll(chartArgs(input, context, values));
      } else {
        args.addAll(upgradeArgs(input, context, values));
        args.add("--dry-run");
      }
      HelmCli.Result result = helm.run(args, Duration.ofMinutes(2), line -> {});
      if (!result.ok()) {
        return StepPlan.of(summary + " (would fail: " + result.error() + ")");
      }
      List<String> details = new ArrayList<>();
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
    Path values = valuesFile(input);
    try {
      List<String> args = upgradeArgs(input, context, values);
      context.output().line("$ helm " + String.join(" ", args));
      HelmCli.Result result =
          helm.run(args, input.timeout().plusMinutes(1), context.output()::line);
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put("release", release);
      outputs.put("namespace", namespace(input, context));
      outputs.put("revision", find(REVISION, result.stdout()).map(Long::parseLong).orElse(0L));
      outputs.put(
          "status", find(STATUS, result.stdout()).orElse(result.ok() ? "deployed" : "failed"));
      if (!result.ok()) {
        context.output().lines(result.stderr());
        return StepResult.failed("helm upgrade " + release + " failed: " + result.error(), outputs);
      }
      return StepResult.succeeded(outputs);
    } finally {
      delete(values);
    }
  }

  private boolean hasDiffPlugin() throws InterruptedException {
    HelmCli.Result plugins =
        helm.run(List.of("plugin", "list"), Duration.ofSeconds(30), line -> {});
    return plugins.ok()
        && plugins.stdout().lines().anyMatch(line -> line.trim().startsWith("diff"));
  }

  private static List<String> upgradeArgs(Input input, StepContext context, Path values) {
    List<String> args =
        new ArrayList<>(List.of("upgrade", "--install", input.release(), chart(input, context)));
    args.addAll(chartArgs(input, context, values));
    if (input.atomic()) {
      args.add("--atomic");
    }
    if (input.waitForResources()) {
      args.add("--wait");
    }
    if (input.createNamespace()) {
      args.add("--create-namespace");
    }
    args.add("--timeout");
    args.add(input.timeout().toSeconds() + "s");
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

  /** A local chart folder resolves against the intents folder; repo/chart and URLs stay. */
  private static String chart(Input input, StepContext context) {
    String chart = input.chart();
    if (chart.contains("://")) {
      return chart;
    }
    Path local = context.intentsDir().resolve(chart);
    return Files.isDirectory(local) || chart.endsWith(".tgz") && Files.isRegularFile(local)
        ? local.toString()
        : chart;
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
