package io.intentbot.kubernetes.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.kubernetes.ClusterAccessException;
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
public final class HelmUpgradeStepType extends HelmStepType {

  public static final String NAME = "helm.upgrade";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern REVISION = Pattern.compile("(?m)^REVISION:\\s*(\\d+)");
  private static final Pattern STATUS = Pattern.compile("(?m)^STATUS:\\s*(\\S+)");
  private static final int MAX_PLAN_LINES = 200;

  private static final String SCHEMA =
      """
      {"type":"object","additionalProperties":false,"required":["release","chart"],
       "properties":{
         "namespace":{"type":"string"},
         "release":{"type":"string","minLength":1},
         "chart":{"type":"string","minLength":1},
         "version":{"type":"string"},
         "values_files":{"type":["array","string"],"items":{"type":"string"}},
         "values":{"type":"object"},
         "atomic":{"type":["boolean","string"]},
         "wait":{"type":["boolean","string"]},
         "create_namespace":{"type":["boolean","string"]},
         "timeout":{"type":"string","description":"default 5m"}}}
      """;

  public HelmUpgradeStepType(HelmCli helm) {
    super(helm, SCHEMA);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Install or upgrade a Helm release (helm upgrade --install)";
  }

  @Override
  protected StepPlan describe(StepInput input, StepContext context) throws InterruptedException {
    String release = input.string("release");
    String summary =
        "helm upgrade --install "
            + release
            + " "
            + input.string("chart")
            + input.optionalString("version").map(v -> " " + v).orElse("")
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
  protected StepResult run(StepInput input, StepContext context) throws InterruptedException {
    String release = input.string("release");
    Path values = valuesFile(input);
    try {
      List<String> args = upgradeArgs(input, context, values);
      context.output().line("$ helm " + String.join(" ", args));
      HelmCli.Result result =
          helm.run(
              args,
              input.duration("timeout", Duration.ofMinutes(5)).plusMinutes(1),
              context.output()::line);
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

  private static List<String> upgradeArgs(StepInput input, StepContext context, Path values) {
    List<String> args =
        new ArrayList<>(
            List.of("upgrade", "--install", input.string("release"), chart(input, context)));
    args.addAll(chartArgs(input, context, values));
    if (input.bool("atomic", true)) {
      args.add("--atomic");
    }
    if (input.bool("wait", false)) {
      args.add("--wait");
    }
    if (input.bool("create_namespace", false)) {
      args.add("--create-namespace");
    }
    args.add("--timeout");
    args.add(input.duration("timeout", Duration.ofMinutes(5)).toSeconds() + "s");
    return args;
  }

  /** Namespace, cluster flags, version and values files: what upgrade and diff share. */
  private static List<String> chartArgs(StepInput input, StepContext context, Path values) {
    List<String> args = new ArrayList<>(target(input, context));
    input
        .optionalString("version")
        .ifPresent(
            v -> {
              args.add("--version");
              args.add(v);
            });
    for (String file : input.strings("values_files")) {
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
  private static String chart(StepInput input, StepContext context) {
    String chart = input.string("chart");
    if (chart.contains("://")) {
      return chart;
    }
    Path local = context.intentsDir().resolve(chart);
    return Files.isDirectory(local) || chart.endsWith(".tgz") && Files.isRegularFile(local)
        ? local.toString()
        : chart;
  }

  private static Path valuesFile(StepInput input) {
    if (!input.has("values")) {
      return null;
    }
    try {
      Path file = Files.createTempFile("intentbot-values-", ".yaml");
      YAML.writeValue(file.toFile(), input.map("values"));
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
