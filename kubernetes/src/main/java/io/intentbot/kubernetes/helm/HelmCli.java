package io.intentbot.kubernetes.helm;

import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepContext;
import io.intentbot.kubernetes.ClusterAccessException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the {@code helm} binary (Helm 3) with an argument list - never through a shell - and the
 * cluster flags of the run: {@code --kube-context} from the environment and, when the environment
 * impersonates, {@code --kube-as-user}/{@code --kube-as-group} from the requester's mapping.
 *
 * <p>The binary is {@code helm} on PATH unless config says otherwise ({@code helm: { binary:
 * /usr/local/bin/helm }}).
 */
public final class HelmCli {

  static final String INSTALL_HINT =
      "install Helm 3 (https://helm.sh/docs/intro/install/, e.g. 'brew install helm' or the"
          + " release tarball) or set helm.binary in the intentbot config";

  private final String binary;

  public HelmCli(String binary) {
    this.binary = binary;
  }

  /** From the {@code helm:} config section; {@code helm} on PATH by default. */
  public static HelmCli from(IntentbotConfig config) {
    Object binary = config.section("helm").get("binary");
    return new HelmCli(binary == null ? "helm" : String.valueOf(binary));
  }

  /** What one helm command did. */
  public record Result(int exitCode, String stdout, String stderr) {
    boolean ok() {
      return exitCode == 0;
    }

    /** The last lines of stderr (or stdout), for a failure reason. */
    String error() {
      String text = stderr.isBlank() ? stdout : stderr;
      List<String> lines = text.strip().lines().toList();
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }
  }

  /** The cluster flags for the run's environment and requester. */
  static List<String> clusterFlags(StepContext context) {
    List<String> flags = new ArrayList<>();
    context
        .environment()
        .flatMap(EnvironmentConfig::kubeContextName)
        .ifPresent(
            c -> {
              flags.add("--kube-context");
              flags.add(c);
            });
    if (context.environment().map(EnvironmentConfig::impersonate).orElse(false)) {
      IntentbotConfig.UserMapping mapping =
          context.config().userMappings().get(context.requester());
      if (mapping == null || mapping.kubernetesUser() == null) {
        throw new ClusterAccessException(
            "environment '"
                + context.environment().get().name()
                + "' runs cluster calls as the requester, but user '"
                + context.requester()
                + "' has no Kubernetes identity in config (user_mappings)");
      }
      flags.add("--kube-as-user");
      flags.add(mapping.kubernetesUser());
      for (String group : mapping.kubernetesGroups()) {
        flags.add("--kube-as-group");
        flags.add(group);
      }
    }
    return flags;
  }

  /**
   * Runs {@code helm args...}; each stdout line also goes to {@code lines} as it arrives.
   *
   * @throws ClusterAccessException when helm is not installed, or does not finish in {@code
   *     timeout}
   */
  public Result run(List<String> args, Duration timeout, Consumer<String> lines)
      throws InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary);
    command.addAll(args);
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(Map.of("HELM_NO_PLUGINS_WARNING", "1"));
      process = builder.start();
    } catch (IOException e) {
      throw new ClusterAccessException(
          "helm is not installed (could not run '"
              + binary
              + "': "
              + e.getMessage()
              + "); "
              + INSTALL_HINT,
          e);
    }
    StringBuilder out = new StringBuilder();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread stdout = daemon(() -> readLines(process.getInputStream(), out, lines));
    Thread stderr = daemon(() -> copy(process.getErrorStream(), err));
    try {
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new ClusterAccessException(
            "helm " + args.get(0) + " did not finish within " + timeout.toSeconds() + "s");
      }
      stdout.join(5000);
      stderr.join(5000);
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    synchronized (out) {
      return new Result(process.exitValue(), out.toString(), err.toString(StandardCharsets.UTF_8));
    }
  }

  private static Thread daemon(Runnable task) {
    Thread thread = new Thread(task, "helm-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static void readLines(InputStream in, StringBuilder out, Consumer<String> lines) {
    try (var reader =
        new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (out) {
          out.append(line).append('\n');
        }
        lines.accept(line);
      }
    } catch (IOException ignored) {
      // the process ended; what was read is kept
    }
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException ignored) {
      // the process ended
    }
  }
}
