package io.intentbot.kubernetes.debug;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One target of {@code kubernetes.network-check}: the busybox command that checks it and how its
 * outcome is judged. A command that could not start at all (its executable is not in the image) did
 * not check the target: its result says {@code ran: false} and why, not that the target failed.
 */
record NetworkTarget(String kind, String value, Integer expectStatus) {

  private static final Pattern HTTP_STATUS = Pattern.compile("HTTP/\\S+\\s+(\\d{3})");
  private static final Pattern NOT_FOUND =
      Pattern.compile("exec: \"([^\"]+)\": executable file not found in \\$PATH");

  /**
   * The targets of a {@code with.targets} list: mappings with {@code dns}, {@code tcp} or {@code
   * http}.
   */
  static List<NetworkTarget> of(List<Object> items) {
    List<NetworkTarget> targets = new ArrayList<>();
    for (Object item : items) {
      if (!(item instanceof Map<?, ?> map)) {
        throw new IllegalArgumentException("each target must be a mapping with dns, tcp or http");
      }
      Object expect = map.get("expect_status");
      if (map.get("dns") != null) {
        targets.add(
            new NetworkTarget("dns", NetworkTargets.host(String.valueOf(map.get("dns"))), null));
      } else if (map.get("tcp") != null) {
        targets.add(
            new NetworkTarget(
                "tcp", NetworkTargets.hostPort(String.valueOf(map.get("tcp"))), null));
      } else if (map.get("http") != null) {
        targets.add(
            new NetworkTarget(
                "http",
                NetworkTargets.url(String.valueOf(map.get("http"))),
                expect == null ? null : Integer.valueOf(String.valueOf(expect))));
      } else {
        throw new IllegalArgumentException("each target needs dns, tcp or http");
      }
    }
    return targets;
  }

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

  /** {@code target, kind, ok, ran, latency_ms, detail}. */
  Map<String, Object> judge(PodExec.Result run) {
    boolean ran = run.timedOut() || run.exitCode() >= 0 || run.message().isEmpty();
    boolean ok = ran && !run.timedOut() && run.exitCode() == 0;
    String detail;
    if (!ran) {
      Matcher missing = NOT_FOUND.matcher(run.message());
      detail =
          missing.find()
              ? "could not run: "
                  + missing.group(1)
                  + " is not in the image (executable file not"
                  + " found in $PATH)"
              : "could not run: " + cut(run.message());
    } else if (run.timedOut()) {
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
    result.put("ran", ran);
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
    return cut(
        text.isEmpty() ? "exit code " + run.exitCode() : text.lines().findFirst().orElse(""));
  }

  private static String cut(String line) {
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
