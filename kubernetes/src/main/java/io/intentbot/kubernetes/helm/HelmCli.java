package io.intentbot.kubernetes.helm;

import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.process.ProcessRequest;
import io.intentbot.engine.process.ProcessResult;
import io.intentbot.engine.process.ProcessRunner;
import io.intentbot.engine.step.StepContext;
import io.intentbot.kubernetes.ClusterAccessException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Runs the {@code helm} binary (Helm 3) with an argument list - never through a shell - and the
 * cluster flags of the run: {@code --kube-context} from the environment and, when the environment
 * impersonates, {@code --kube-as-user}/{@code --kube-as-group} from the requester's mapping.
 *
 * <p>The binary is {@code helm} on PATH unless config says otherwise ({@code helm: { binary:
 * /usr/local/bin/helm }}); the chart repositories it may add are config's {@code helm: {
 * repositories: [...] }} ({@link HelmRepositories}).
 *
 * <p>Every command runs through the engine's {@link ProcessRunner}, so helm gets an explicit
 * environment, never the bot's whole one (no {@code SLACK_*} tokens or secrets, no {@code
 * INTENTBOT_*} or password variables):
 *
 * <ul>
 *   <li>{@code PATH}, {@code HOME}, {@code LANG}, {@code TZ}: what the runner passes to every child
 *       ({@link ProcessRunner#INHERITED});
 *   <li>{@code KUBECONFIG}, when the bot has it: the cluster, as kubectl finds it;
 *   <li>every {@code HELM_*} variable the bot has ({@code HELM_CACHE_HOME}, {@code
 *       HELM_CONFIG_HOME}, {@code HELM_DATA_HOME}, {@code HELM_DRIVER}, {@code
 *       HELM_REPOSITORY_CONFIG}, ...): helm's own settings;
 *   <li>{@code XDG_CACHE_HOME}, {@code XDG_CONFIG_HOME}, {@code XDG_DATA_HOME}, when the bot has
 *       them: where helm keeps its cache, repositories and plugins when no {@code HELM_*_HOME} is
 *       set;
 *   <li>{@code KUBECACHEDIR}, when the bot has it: where helm's Kubernetes client caches the API
 *       discovery ({@code $HOME/.kube/cache} otherwise, read-only in the shipped pod, so every
 *       command would discover the API again);
 *   <li>{@code HELM_NO_PLUGINS_WARNING=1}, always.
 * </ul>
 *
 * <p>Stdout and stderr are each kept up to {@value #OUTPUT_LIMIT} bytes. A command that runs past
 * its timeout, or whose thread is interrupted, gets SIGTERM (helm and its descendants), then
 * SIGKILL after a grace. For a command that waits itself ({@link #stop}), both leave room for
 * helm's own ending: the timeout is helm's (twice, when it rolls back on failure) plus {@code
 * helm.stop_margin} (1m), and the grace, as helm answers SIGTERM by cancelling and, with {@code
 * --atomic}, rolling back and waiting up to its timeout again, is that timeout plus the margin.
 */
public final class HelmCli {

  static final String INSTALL_HINT =
      "install Helm 3 (https://helm.sh/docs/intro/install/, e.g. 'brew install helm' or the"
          + " release tarball) or set helm.binary in the intentbot config";

  /** The bytes of stdout (and of stderr) kept of one helm command. */
  static final int OUTPUT_LIMIT = 4 * 1024 * 1024;

  /** The bot's variables, besides {@code HELM_*}, that helm gets when they are set. */
  static final List<String> PASSED =
      List.of("KUBECONFIG", "KUBECACHEDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME");

  private final String binary;
  private final HelmRepositories repositories;
  private final Map<String, String> botEnvironment;
  private final ProcessRunner runner;
  private final Duration stopMargin;
  private volatile Integer major;

  /**
   * Beyond helm's own waits, before SIGTERM and again before SIGKILL ({@code helm.stop_margin}).
   */
  static final Duration DEFAULT_STOP_MARGIN = Duration.ofMinutes(1);

  /** The binary with the bot's own environment and the default runner. */
  public HelmCli(String binary) {
    this(binary, HelmRepositories.NONE);
  }

  /** The binary and chart repositories with the bot's own environment and the default runner. */
  public HelmCli(String binary, HelmRepositories repositories) {
    this(binary, repositories, System.getenv(), new ProcessRunner());
  }

  /** No chart repositories; see {@link #HelmCli(String, HelmRepositories, Map, ProcessRunner)}. */
  public HelmCli(String binary, Map<String, String> botEnvironment, ProcessRunner runner) {
    this(binary, HelmRepositories.NONE, botEnvironment, runner);
  }

  /**
   * @param binary the helm executable
   * @param repositories the chart repositories charts may name ({@code REPO/CHART})
   * @param botEnvironment where helm's variables ({@code KUBECONFIG}, {@code HELM_*}, ...) come
   *     from
   * @param runner starts the commands (the {@link ProcessRunner#INHERITED} values come from its
   *     environment)
   */
  public HelmCli(
      String binary,
      HelmRepositories repositories,
      Map<String, String> botEnvironment,
      ProcessRunner runner) {
    this(binary, repositories, botEnvironment, runner, DEFAULT_STOP_MARGIN);
  }

  /**
   * @param stopMargin how long past helm's own waits a command may run before SIGTERM, and how much
   *     of the grace after it is beyond helm's timeout ({@link #stop})
   */
  public HelmCli(
      String binary,
      HelmRepositories repositories,
      Map<String, String> botEnvironment,
      ProcessRunner runner,
      Duration stopMargin) {
    this.binary = binary;
    this.repositories = repositories;
    this.botEnvironment = Map.copyOf(botEnvironment);
    this.runner = runner;
    this.stopMargin = stopMargin;
  }

  /**
   * From the {@code helm:} config section; {@code helm} on PATH by default.
   *
   * @throws io.intentbot.engine.config.ConfigException when {@code helm.repositories} is wrong
   */
  public static HelmCli from(IntentbotConfig config) {
    Object binary = config.section("helm").get("binary");
    Object margin = config.section("helm").get("stop_margin");
    return new HelmCli(
        binary == null ? "helm" : String.valueOf(binary),
        HelmRepositories.from(config),
        System.getenv(),
        new ProcessRunner(),
        margin == null
            ? DEFAULT_STOP_MARGIN
            : io.intentbot.engine.text.Durations.parse(String.valueOf(margin))
                .orElseThrow(
                    () ->
                        new io.intentbot.engine.config.ConfigException(
                            "helm.stop_margin is not a duration: " + margin)));
  }

  /** The chart repositories charts may name. */
  public HelmRepositories repositories() {
    return repositories;
  }

  /** The variables helm gets besides the runner's {@link ProcessRunner#INHERITED} ones. */
  Map<String, String> environment() {
    Map<String, String> env = new TreeMap<>();
    botEnvironment.forEach(
        (name, value) -> {
          if (name.startsWith("HELM_") || PASSED.contains(name)) {
            env.put(name, value);
          }
        });
    env.put("HELM_NO_PLUGINS_WARNING", "1");
    return env;
  }

  /**
   * What one helm command did.
   *
   * @param stopped how it was stopped when it ran past its timeout; null when it ended by itself
   */
  public record Result(int exitCode, String stdout, String stderr, Stopped stopped) {
    public Result(int exitCode, String stdout, String stderr) {
      this(exitCode, stdout, stderr, null);
    }

    boolean ok() {
      return exitCode == 0 && stopped == null;
    }

    /** The last lines of stderr (or stdout), for a failure reason. */
    String error() {
      String text = stderr.isBlank() ? stdout : stderr;
      List<String> lines = text.strip().lines().toList();
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }
  }

  /**
   * Helm's major version, from {@code helm version --short} ({@code v3.17.0+g...}, {@code
   * v4.0.0+g...}), read once; 3 when it cannot be told. Helm 4 deprecates {@code --atomic} for
   * {@code --rollback-on-failure}.
   */
  public int majorVersion() throws InterruptedException {
    Integer known = major;
    if (known != null) {
      return known;
    }
    int found = 3;
    Result version = run(List.of("version", "--short"), Duration.ofSeconds(30), line -> {});
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("v(\\d+)\\.").matcher(version.stdout());
    if (version.ok() && m.find()) {
      found = Integer.parseInt(m.group(1));
    }
    major = found;
    return found;
  }

  /**
   * When a helm command that waits itself is stopped: SIGTERM {@code after} it started, SIGKILL
   * {@code grace} later if it is still running.
   */
  public record Stop(Duration after, Duration grace) {}

  /**
   * How a command past its {@link Stop#after} was stopped: it exited within the grace with {@code
   * exitCode} (helm cancels on SIGTERM and, rolling back on failure, rolls back first), or was
   * killed at its end. Told apart by the exit status: 137 (128 + SIGKILL) is the kill's.
   */
  public record Stopped(Stop stop, boolean killed) {}

  /**
   * The {@link Stop} of a command that waits {@code helmTimeout} itself: {@link #processTimeout}
   * with this CLI's margin, and a grace of the timeout plus the margin when it rolls back on
   * failure (helm's rollback after SIGTERM waits up to the timeout again), else the margin.
   */
  public Stop stop(Duration helmTimeout, boolean rollsBack) {
    return new Stop(
        processTimeout(helmTimeout, rollsBack, stopMargin),
        rollsBack ? helmTimeout.plus(stopMargin) : stopMargin);
  }

  static Duration processTimeout(Duration helmTimeout, boolean rollsBack) {
    return processTimeout(helmTimeout, rollsBack, DEFAULT_STOP_MARGIN);
  }

  /**
   * How long a helm command that waits {@code helmTimeout} itself may run before it is stopped.
   * With a rollback on failure ({@code --atomic}, {@code --rollback-on-failure}) Helm waits up to
   * the timeout for the upgrade and again for the rollback: stopping it earlier leaves the release
   * {@code pending-upgrade} or {@code pending-rollback}, and every later upgrade fails "another
   * operation is in progress". So: twice the timeout plus the margin then, else one timeout plus
   * the margin (a minute by default).
   */
  static Duration processTimeout(Duration helmTimeout, boolean rollsBack, Duration margin) {
    return (rollsBack ? helmTimeout.multipliedBy(2) : helmTimeout).plus(margin);
  }

  /** A duration as helm's {@code --timeout} takes it (Go's format): {@code 300s}, {@code 250ms}. */
  static String goDuration(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + "s"
        : duration.toMillis() + "ms";
  }

  /**
   * Why a command {@link #run(List, Stop, Consumer) stopped} past its timeout, for a failure
   * reason: what was sent and how it ended, and helm's last lines.
   */
  static String describe(String command, Stopped stopped, Result result) {
    String after = io.intentbot.engine.text.Durations.format(stopped.stop().after());
    String grace = io.intentbot.engine.text.Durations.format(stopped.stop().grace());
    String ending =
        stopped.killed()
            ? "it was still running "
                + grace
                + " later and was killed (SIGKILL): the release may be left pending"
                + " (see helm history)"
            : "it ended within the " + grace + " grace (exit " + result.exitCode() + ")";
    String said = result.error();
    return command
        + " was still running after "
        + after
        + " and was sent SIGTERM; "
        + ending
        + (said.isBlank() ? "" : ": " + said);
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
   * @throws InterruptedException when the thread is interrupted; helm has been stopped
   */
  public Result run(List<String> args, Duration timeout, Consumer<String> lines)
      throws InterruptedException {
    Result result = execute(args, timeout, runner, null, lines);
    if (result.stopped() != null) {
      throw new ClusterAccessException(
          "helm " + args.get(0) + " did not finish within " + timeout.toSeconds() + "s");
    }
    return result;
  }

  /**
   * Runs {@code helm args...} that may run until {@code stop}: past {@link Stop#after} it gets
   * SIGTERM, and SIGKILL {@link Stop#grace} later; the result says which ({@link Result#stopped}),
   * with what helm wrote until then.
   *
   * @throws ClusterAccessException when helm is not installed
   * @throws InterruptedException when the thread is interrupted; helm has been stopped (SIGTERM,
   *     then SIGKILL after the grace)
   */
  public Result run(List<String> args, Stop stop, Consumer<String> lines)
      throws InterruptedException {
    return execute(args, stop.after(), runner.withGrace(stop.grace()), stop, lines);
  }

  private Result execute(
      List<String> args, Duration timeout, ProcessRunner using, Stop stop, Consumer<String> lines)
      throws InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary);
    command.addAll(args);
    ProcessRequest request =
        new ProcessRequest(command, null, environment(), OUTPUT_LIMIT, timeout);
    ProcessResult result;
    try {
      result = using.run(request, lines, line -> {});
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
    return new Result(
        result.exitCode(),
        result.stdout().text(),
        result.stderr().text(),
        result.timedOut()
            ? new Stopped(
                stop == null ? new Stop(timeout, ProcessRunner.DEFAULT_GRACE) : stop,
                result.exitCode() == 128 + 9)
            : null);
  }
}
