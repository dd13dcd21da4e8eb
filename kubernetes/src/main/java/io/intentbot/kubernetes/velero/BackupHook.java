package io.intentbot.kubernetes.velero;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.intentbot.engine.text.Durations;
import io.intentbot.kubernetes.Inputs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of {@code velero.backup}'s {@code hooks:}, sent as one of Velero's {@code
 * spec.hooks.resources} (a BackupResourceHookSpec): commands Velero runs through the pod exec API
 * in the pods it backs up, before ({@code pre}) and after ({@code post}) it stores each one.
 *
 * <pre>{@code
 * hooks:
 *   - name: freeze                      # default hook-1, hook-2, ...
 *     namespaces: [shop-production]     # default: every namespace of the backup
 *     resources: [pods]                 # default: pods (Velero runs exec hooks in pods only)
 *     selector: { app: db }             # optional: only pods with these labels
 *     pre:
 *       - container: db                 # default: the pod's first container (Velero's rule)
 *         command: [/sbin/fsfreeze, --freeze, /var/lib/postgresql]
 *         on_error: Fail                # Continue (default, as Velero) or Fail: stop this pod's
 *                                       # remaining hooks; either way the backup ends
 *                                       # PartiallyFailed
 *         timeout: 30s                  # default 30s, Velero's
 *     post:
 *       - { container: db, command: [/sbin/fsfreeze, --unfreeze, /var/lib/postgresql] }
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupHook(
    String name,
    List<String> namespaces,
    List<String> resources,
    Map<String, String> selector,
    List<Exec> pre,
    List<Exec> post) {

  public BackupHook {
    namespaces = Inputs.list(namespaces);
    resources = resources == null || resources.isEmpty() ? List.of("pods") : List.copyOf(resources);
    selector = Inputs.map(selector);
    pre = Inputs.list(pre);
    post = Inputs.list(post);
    if (pre.isEmpty() && post.isEmpty()) {
      throw new IllegalArgumentException(
          "hook "
              + (name == null ? "" : name + " ")
              + "has no pre or post command; give e.g. pre: [{ command: [/bin/sh, -c, 'sync'] }]");
    }
  }

  /**
   * An exec hook (Velero's ExecHook); {@code onError} is Velero's spelling, {@code Continue} or
   * {@code Fail}, null for Velero's default.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Exec(String container, List<String> command, String onError, Duration timeout) {

    public Exec {
      command = Inputs.list(command);
      if (command.isEmpty() || command.get(0).isBlank()) {
        throw new IllegalArgumentException(
            "a hook's command is required, as the program and its arguments, e.g."
                + " [/bin/sh, -c, 'pg_dump shop > /backup/shop.sql']");
      }
      if (onError != null) {
        onError =
            switch (onError.toLowerCase(Locale.ROOT)) {
              case "continue" -> "Continue";
              case "fail" -> "Fail";
              default ->
                  throw new IllegalArgumentException(
                      "a hook's on_error must be Continue or Fail, not '" + onError + "'");
            };
      }
      if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
        throw new IllegalArgumentException("a hook's timeout must be positive, e.g. 30s");
      }
    }

    Map<String, Object> spec() {
      Map<String, Object> exec = new LinkedHashMap<>();
      if (container != null) {
        exec.put("container", container);
      }
      exec.put("command", command);
      if (onError != null) {
        exec.put("onError", onError);
      }
      if (timeout != null) {
        exec.put("timeout", Velero.goFormat(timeout));
      }
      return Map.of("exec", exec);
    }

    String describe(String phase) {
      return phase
          + " hook: "
          + String.join(" ", command)
          + " in "
          + (container == null ? "the first container" : "container " + container)
          + " (on error "
          + (onError == null ? "Continue" : onError)
          + ", timeout "
          + (timeout == null ? "30s" : Durations.format(timeout))
          + ")";
    }
  }

  /** Velero's {@code spec.hooks} for {@code hooks}, or null when there are none. */
  static Map<String, Object> spec(List<BackupHook> hooks) {
    if (hooks.isEmpty()) {
      return null;
    }
    List<Map<String, Object>> resources = new ArrayList<>();
    for (int i = 0; i < hooks.size(); i++) {
      resources.add(hooks.get(i).resourceSpec(i));
    }
    return Map.of("resources", resources);
  }

  private Map<String, Object> resourceSpec(int index) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", name(index));
    if (!namespaces.isEmpty()) {
      spec.put("includedNamespaces", namespaces);
    }
    spec.put("includedResources", resources);
    if (!selector.isEmpty()) {
      spec.put("labelSelector", Map.of("matchLabels", selector));
    }
    if (!pre.isEmpty()) {
      spec.put("pre", pre.stream().map(Exec::spec).toList());
    }
    if (!post.isEmpty()) {
      spec.put("post", post.stream().map(Exec::spec).toList());
    }
    return spec;
  }

  private String name(int index) {
    return name == null ? "hook-" + (index + 1) : name;
  }

  /** The plan's lines for {@code hooks}: what runs where. */
  static List<String> describe(List<BackupHook> hooks) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < hooks.size(); i++) {
      BackupHook hook = hooks.get(i);
      String where =
          "hook "
              + hook.name(i)
              + ", in "
              + String.join(",", hook.resources)
              + (hook.selector.isEmpty() ? "" : " labelled " + hook.selector)
              + (hook.namespaces.isEmpty() ? "" : " of namespaces " + hook.namespaces)
              + ": ";
      hook.pre.forEach(e -> lines.add(where + e.describe("pre")));
      hook.post.forEach(e -> lines.add(where + e.describe("post")));
    }
    return lines;
  }
}
