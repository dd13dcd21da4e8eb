package io.intentbot.kubernetes.debug;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.dsl.ExecListener;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.intentbot.kubernetes.Cluster;
import io.intentbot.kubernetes.ClusterAccessException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one command (an argument list, never a shell line) in a pod's container over the exec API,
 * with a timeout and a cap on the output kept.
 */
public final class PodExec {

  private PodExec() {}

  /**
   * The outcome of one exec.
   *
   * @param exitCode the command's exit code, or -1 when it timed out or the code is unknown
   * @param message what the API server said when the command could not run (e.g. {@code exec:
   *     "nslookup": executable file not found in $PATH}), else empty
   */
  public record Result(
      int exitCode,
      String stdout,
      String stderr,
      boolean timedOut,
      boolean truncated,
      Duration took,
      String message) {

    public Map<String, Object> outputs() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("exit_code", exitCode);
      out.put("message", message);
      out.put("stdout", stdout);
      out.put("stderr", stderr);
      out.put("timed_out", timedOut);
      out.put("truncated", truncated);
      return out;
    }
  }

  public static Result run(
      Cluster cluster,
      String pod,
      String container,
      List<String> command,
      Duration timeout,
      long cap)
      throws InterruptedException {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("'command' must name a program");
    }
    CappedOutput out = new CappedOutput(cap);
    CappedOutput err = new CappedOutput(cap);
    long start = System.nanoTime();
    AtomicReference<String> failure = new AtomicReference<>("");
    ExecListener listener =
        new ExecListener() {
          @Override
          public void onClose(int code, String reason) {
            // the exit code future completes on its own
          }

          @Override
          public void onExit(int code, Status status) {
            // a command that could not start ends with a Failure status and no exit code
            if (status != null
                && !"Success".equals(status.getStatus())
                && status.getMessage() != null) {
              failure.set(status.getMessage());
            }
          }
        };
    ExecWatch watch =
        cluster.call(
            "exec in pod " + cluster.ref(pod),
            c -> {
              PodResource resource = c.pods().inNamespace(cluster.namespace()).withName(pod);
              return (container == null ? resource : resource.inContainer(container))
                  .writingOutput(out)
                  .writingError(err)
                  .usingListener(listener)
                  .exec(command.toArray(String[]::new));
            });
    try (watch) {
      Integer code = watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Result(
          code == null ? -1 : code,
          out.text(),
          err.text(),
          false,
          out.truncated() || err.truncated(),
          Duration.ofNanos(System.nanoTime() - start),
          failure.get());
    } catch (TimeoutException e) {
      return new Result(
          -1,
          out.text(),
          err.text(),
          true,
          out.truncated() || err.truncated(),
          Duration.ofNanos(System.nanoTime() - start),
          failure.get());
    } catch (ExecutionException e) {
      throw new ClusterAccessException(
          "exec in pod " + cluster.ref(pod) + " failed: " + e.getCause().getMessage(),
          e.getCause());
    }
  }

  /** A pod by name, or the first running and ready pod matching a label selector. */
  public static String choosePod(Cluster cluster, String pod, Map<String, String> selector) {
    if (pod != null) {
      return pod;
    }
    if (selector.isEmpty()) {
      throw new IllegalArgumentException("say which pod: 'pod' or 'selector'");
    }
    List<Pod> pods =
        cluster.call(
            "list pods in " + cluster.namespace(),
            c -> c.pods().inNamespace(cluster.namespace()).withLabels(selector).list().getItems());
    // a ready pod before one that is not, then the newest (a new replica, not an old one
    // about to go), then by name
    return pods.stream()
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .sorted(
            java.util.Comparator.comparing((Pod p) -> !ready(p))
                .thenComparing(
                    (Pod p) ->
                        p.getStatus().getStartTime() == null ? "" : p.getStatus().getStartTime(),
                    java.util.Comparator.reverseOrder())
                .thenComparing(p -> p.getMetadata().getName()))
        .map(p -> p.getMetadata().getName())
        .findFirst()
        .orElseThrow(
            () ->
                new ClusterAccessException(
                    "no running pod in " + cluster.namespace() + " matches " + selector));
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** {@code app=web,tier=front} or a mapping, as a label map. */
  public static Map<String, String> selector(Object value) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> labels.put(String.valueOf(k), String.valueOf(v)));
    } else if (value != null) {
      for (String part : String.valueOf(value).split(",")) {
        String[] kv = part.trim().split("=", 2);
        if (kv.length != 2 || kv[0].isBlank()) {
          throw new IllegalArgumentException(
              "selector '" + value + "' must look like app=web,tier=front");
        }
        labels.put(kv[0].trim(), kv[1].trim());
      }
    }
    return labels;
  }
}
