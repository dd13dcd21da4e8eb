package io.intentbot.kubernetes.debug;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.text.Durations;
import io.intentbot.kubernetes.AsyncPoll;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.ClusterAccessException;
import io.intentbot.kubernetes.Inputs;
import io.intentbot.kubernetes.Names;
import io.intentbot.kubernetes.Namespaced;
import io.intentbot.kubernetes.Polling;
import io.intentbot.kubernetes.PollingStepType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kubernetes.network-check}: checks DNS names, TCP ports and HTTP URLs from inside the
 * cluster, with the latency of each check. Runs in an existing pod ({@code pod} or {@code
 * selector}; the image must have busybox's {@code nslookup}, {@code nc} and {@code wget}) or in a
 * short-lived debug pod ({@code image}, default {@code busybox:1.36}) that is always deleted
 * afterwards. Commands are argument lists; targets never reach a shell.
 *
 * <pre>{@code
 * with:
 *   targets:
 *     - { dns: db.shop-staging.svc.cluster.local }
 *     - { tcp: "db.shop-staging:5432" }
 *     - { http: "http://web.shop-staging/healthz", expect_status: 200 }
 *   pod: web-7d9f                 # optional; else a debug pod
 *   timeout: 5s                   # per target
 * }</pre>
 *
 * Latency is measured around the exec call, so it includes the exec round trip. Outputs: {@code
 * results} (each {@code target, kind, ok, latency_ms, detail}), {@code ok}, {@code failed}, {@code
 * pod}. The step fails when any target fails.
 */
public final class NetworkCheckStepType extends PollingStepType<NetworkCheckStepType.Input> {

  public static final String NAME = "kubernetes.network-check";

  /**
   * The {@code with:} block: each target a mapping with {@code dns}, {@code tcp} or {@code http}.
   */
  public record Input(
      String namespace,
      List<Object> targets,
      String pod,
      Object selector,
      String container,
      String image,
      Duration timeout,
      Duration startTimeout,
      Duration pollInterval)
      implements Namespaced {
    public Input {
      targets = Inputs.list(targets);
    }
  }

  private static final Pattern HTTP_STATUS = Pattern.compile("HTTP/\\S+\\s+(\\d{3})");

  public NetworkCheckStepType(ClusterAccess access) {
    super(NAME, "Check DNS, TCP and HTTP targets from inside the cluster", Input.class, access);
  }

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("results", "ok", "failed", "pod"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context, Cluster cluster) {
    List<String> details = new ArrayList<>();
    for (Target target : targets(input)) {
      details.add(
          target.kind
              + " "
              + target.value
              + "  $ "
              + String.join(" ", target.command(timeout(input))));
    }
    String where =
        input.pod() != null || input.selector() != null
            ? "from "
                + Optional.ofNullable(input.pod())
                    .map(cluster::ref)
                    .orElse("a pod matching " + PodExec.selector(input.selector()))
            : "from a debug pod "
                + cluster.ref(Names.forStep("netcheck", context))
                + " ("
                + image(input)
                + "), deleted afterwards";
    return StepPlan.of("Check " + details.size() + " network targets " + where, details);
  }

  @Override
  protected CompletableFuture<StepResult> start(
      Input input, StepContext context, Cluster cluster, AsyncPoll poll) {
    List<Target> targets = targets(input);
    if (input.pod() != null || input.selector() != null) {
      return poll.call(
          () -> {
            String pod =
                PodExec.choosePod(cluster, input.pod(), PodExec.selector(input.selector()));
            return check(input, context, cluster, targets, pod, input.container());
          });
    }
    String pod = Names.forStep("netcheck", context);
    CompletableFuture<StepResult> checked =
        poll.call(
                () -> {
                  createDebugPod(input, context, cluster, pod);
                  return pod;
                })
            .thenCompose(created -> awaitRunning(input, cluster, pod, poll))
            .thenCompose(
                running -> poll.call(() -> check(input, context, cluster, targets, pod, "check")));
    return poll.ensure(checked, () -> deleteDebugPod(context, cluster, pod));
  }

  private static StepResult check(
      Input input,
      StepContext context,
      Cluster cluster,
      List<Target> targets,
      String pod,
      String container)
      throws InterruptedException {
    List<Map<String, Object>> results = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (Target target : targets) {
      PodExec.Result run =
          PodExec.run(
              cluster,
              pod,
              container,
              target.command(timeout(input)),
              timeout(input).plusSeconds(2),
              16384);
      Map<String, Object> result = target.judge(run);
      results.add(result);
      context
          .output()
          .line(
              (Boolean.TRUE.equals(result.get("ok")) ? "ok    " : "FAIL  ")
                  + target.kind
                  + " "
                  + target.value
                  + "  "
                  + result.get("latency_ms")
                  + "ms  "
                  + result.get("detail"));
      if (!Boolean.TRUE.equals(result.get("ok"))) {
        failed.add(target.kind + " " + target.value);
      }
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    outputs.put("pod", pod);
    outputs.put("results", results);
    outputs.put("ok", results.size() - failed.size());
    outputs.put("failed", failed.size());
    return failed.isEmpty()
        ? StepResult.succeeded(outputs)
        : StepResult.failed("network checks failed: " + String.join(", ", failed), outputs);
  }

  private static void createDebugPod(
      Input input, StepContext context, Cluster cluster, String name) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(cluster.namespace())
            .addToLabels("app.kubernetes.io/managed-by", "intentbot")
            .addToLabels("intentbot.io/purpose", "network-check")
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .withActiveDeadlineSeconds(600L)
            .addNewContainer()
            .withName("check")
            .withImage(image(input))
            .withCommand("sleep", "600")
            .endContainer()
            .endSpec()
            .build();
    cluster.call("create debug pod " + cluster.ref(name), c -> c.resource(pod).create());
    context.output().line("started debug pod " + cluster.ref(name) + " (" + image(input) + ")");
  }

  /** Completes when the debug pod runs; fails when it ended or did not start in time. */
  private static CompletableFuture<Pod> awaitRunning(
      Input input, Cluster cluster, String name, AsyncPoll poll) {
    Polling polling =
        new Polling(
            Inputs.or(input.startTimeout(), Duration.ofSeconds(60)),
            Inputs.or(input.pollInterval(), Duration.ofSeconds(1)));
    return poll.until(
        polling,
        () ->
            Optional.ofNullable(
                cluster.call(
                    "read pod " + cluster.ref(name),
                    c -> c.pods().inNamespace(cluster.namespace()).withName(name).get())),
        live -> {
          String phase = live.map(Pod::getStatus).map(PodStatus::getPhase).orElse(null);
          if ("Running".equals(phase)) {
            return live;
          }
          if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
            throw new ClusterAccessException(
                "debug pod " + cluster.ref(name) + " ended (" + phase + ") before the checks");
          }
          return Optional.empty();
        },
        live -> {
          throw new ClusterAccessException(
              "debug pod "
                  + cluster.ref(name)
                  + " was not running within "
                  + Durations.format(polling.timeout()));
        });
  }

  private static void deleteDebugPod(StepContext context, Cluster cluster, String name) {
    try {
      cluster.run(
          "delete debug pod " + cluster.ref(name),
          c ->
              c.pods().inNamespace(cluster.namespace()).withName(name).withGracePeriod(0).delete());
      context.output().line("deleted debug pod " + cluster.ref(name));
    } catch (ClusterAccessException e) {
      context
          .output()
          .line("could not delete debug pod " + cluster.ref(name) + ": " + e.getMessage());
    }
  }

  private static String image(Input input) {
    return Inputs.or(input.image(), "busybox:1.36");
  }

  private static Duration timeout(Input input) {
    return Inputs.or(input.timeout(), Duration.ofSeconds(5));
  }

  private static List<Target> targets(Input input) {
    List<Target> targets = new ArrayList<>();
    for (Object item : input.targets()) {
      if (!(item instanceof Map<?, ?> map)) {
        throw new IllegalArgumentException("each target must be a mapping with dns, tcp or http");
      }
      Object expect = map.get("expect_status");
      if (map.get("dns") != null) {
        targets.add(new Target("dns", NetworkTargets.host(String.valueOf(map.get("dns"))), null));
      } else if (map.get("tcp") != null) {
        targets.add(
            new Target("tcp", NetworkTargets.hostPort(String.valueOf(map.get("tcp"))), null));
      } else if (map.get("http") != null) {
        targets.add(
            new Target(
                "http",
                NetworkTargets.url(String.valueOf(map.get("http"))),
                expect == null ? null : Integer.valueOf(String.valueOf(expect))));
      } else {
        throw new IllegalArgumentException("each target needs dns, tcp or http");
      }
    }
    return targets;
  }

  private record Target(String kind, String value, Integer expectStatus) {

    List<String> command(Duration timeout) {
      String seconds = String.valueOf(Math.max(1, timeout.toSeconds()));
      return switch (kind) {
        case "dns" -> List.of("nslookup", value);
        case "tcp" -> {
          int colon = value.lastIndexOf(':');
          yield List.of(
              "nc", "-z", "-w", seconds, value.substring(0, colon), value.substring(colon + 1));
        }
        default -> List.of("wget", "-q", "-S", "-O", "/dev/null", "-T", seconds, value);
      };
    }

    Map<String, Object> judge(PodExec.Result run) {
      boolean ok = !run.timedOut() && run.exitCode() == 0;
      String detail;
      if (run.timedOut()) {
        detail = "timed out";
      } else if (kind.equals("http")) {
        Matcher m = HTTP_STATUS.matcher(run.stderr() + "\n" + run.stdout());
        String status = null;
        while (m.find()) {
          status = m.group(1);
        }
        if (expectStatus != null) {
          ok = status != null && Integer.parseInt(status) == expectStatus;
        } else if (status != null) {
          ok = ok || status.startsWith("2") || status.startsWith("3");
        }
        detail = status == null ? firstLine(run) : "HTTP " + status;
      } else if (ok) {
        detail = kind.equals("dns") ? resolved(run.stdout()) : "connected";
      } else {
        detail = firstLine(run);
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("target", value);
      result.put("kind", kind);
      result.put("ok", ok);
      result.put("latency_ms", run.took().toMillis());
      result.put("detail", detail);
      return result;
    }

    private static String resolved(String stdout) {
      List<String> addresses = new ArrayList<>();
      boolean answer = false;
      for (String line : stdout.split("\n")) {
        if (line.startsWith("Name:")) {
          answer = true;
        } else if (answer && line.startsWith("Address")) {
          addresses.add(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      return addresses.isEmpty() ? "resolved" : "resolved to " + String.join(", ", addresses);
    }

    private static String firstLine(PodExec.Result run) {
      String text = (run.message() + "\n" + run.stderr() + "\n" + run.stdout()).strip();
      String line =
          text.isEmpty() ? "exit code " + run.exitCode() : text.lines().findFirst().orElse("");
      return line.length() > 200 ? line.substring(0, 200) : line;
    }
  }
}
