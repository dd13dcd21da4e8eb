package io.intentbot.bench;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.model.StepRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Thread posting: one slash command runs a step printing 1,000 lines ({@code line-0001} …); the
 * fake Slack accepts one message per second and answers 429 to anything faster. Counts the Web API
 * calls made (accepted or not), the lines that reached the thread, and the time until the run's
 * last message is in. The adapter shows at most 40 lines of one step in the thread and says how
 * many more there are (with a pointer to {@code intentbot show}); a line is <em>lost</em> when it
 * is neither in the thread nor counted by such a pointer. A second run prints the same 1,000 lines
 * from 25 steps of 40, so that every line goes through the thread. Both runs' lines are also
 * counted in the audit store, where {@code intentbot show RUN} reads them.
 */
final class ThreadBench {

  private static final Pattern LINE = Pattern.compile("line-(\\d{4})");
  private static final Pattern RUN_ID = Pattern.compile("run (r-[a-z0-9]+)");
  private static final Pattern MORE = Pattern.compile("… (\\d+) more lines");
  private static final int LINES = 1000;

  Figures run(Path work) throws Exception {
    Figures figures = new Figures("thread");
    Path botDir = Files.createDirectories(work.resolve("bot"));
    try (FakeSlack slack = FakeSlack.rateLimited(Duration.ofSeconds(1));
        ServedBot bot =
            ServedBot.start(
                botDir,
                Map.of("bench-lines", Intents.LINES, "bench-lines-steps", Intents.linesInSteps()),
                slack)) {
      String one = measure(bot, slack, "bench-lines", "C0LINES", "thread_", figures);
      String many = measure(bot, slack, "bench-lines-steps", "C0STEPS", "thread_25x40_", figures);
      try (AuditStore audit =
          AuditStores.open(AuditStores.defaultUrl(botDir.resolve("data")), null, null)) {
        figures
            .put("thread_lines_in_audit", linesInAudit(audit, one), "== " + LINES)
            .put("thread_25x40_lines_in_audit", linesInAudit(audit, many), "== " + LINES);
      }
    }
    return figures;
  }

  /** Lines of the run's step output kept in the audit store ({@code intentbot show RUN}). */
  private static long linesInAudit(AuditStore audit, String runId) {
    if (runId == null) {
      return 0;
    }
    return audit.steps(runId).stream()
        .map(StepRecord::outputText)
        .filter(text -> text != null)
        .mapToLong(text -> LINE.matcher(text).results().count())
        .sum();
  }

  /** Measures one run's thread into {@code f}; returns the run id. */
  private static String measure(
      ServedBot bot, FakeSlack slack, String intent, String channel, String prefix, Figures f)
      throws Exception {
    Thread.sleep(1100);
    slack.resetRequests();
    long sent = System.nanoTime();
    int status =
        bot.commands
            .commandAsync("U1000", channel, intent, prefix + sent)
            .get(10, TimeUnit.SECONDS);
    long deadline = sent + TimeUnit.SECONDS.toNanos(180);
    List<FakeSlack.MessageCall> calls = List.of();
    long lastAt = sent;
    while (System.nanoTime() < deadline) {
      calls = slack.messageCalls();
      var finished =
          calls.stream()
              .filter(c -> c.accepted() && c.form().get("thread_ts") != null)
              .filter(c -> c.form().getOrDefault("text", "").contains("Run "))
              .findFirst();
      if (finished.isPresent()) {
        lastAt = finished.get().atNanos();
        break;
      }
      Thread.sleep(100);
    }
    List<Integer> seen = new ArrayList<>();
    long pointed = 0;
    for (FakeSlack.MessageCall call : calls) {
      if (!call.accepted() || call.form().get("thread_ts") == null) {
        continue;
      }
      String text = call.form().getOrDefault("text", "");
      Matcher line = LINE.matcher(text);
      while (line.find()) {
        seen.add(Integer.parseInt(line.group(1)));
      }
      Matcher more = MORE.matcher(text);
      while (more.find()) {
        pointed += Long.parseLong(more.group(1));
      }
    }
    String runId = null;
    for (FakeSlack.MessageCall call : calls) {
      Matcher id = RUN_ID.matcher(call.form().getOrDefault("text", ""));
      if (runId == null && id.find()) {
        runId = id.group(1);
      }
    }
    Set<Integer> distinct = new LinkedHashSet<>(seen);
    boolean inOrder = true;
    for (int i = 1; i < seen.size(); i++) {
      inOrder &= seen.get(i) > seen.get(i - 1);
    }
    long rejected = calls.stream().filter(c -> !c.accepted()).count();
    f.put(prefix + "calls_for_1000_lines", calls.size(), "< 30")
        .put(prefix + "lines_lost", LINES - distinct.size() - pointed, "== 0")
        .put(prefix + "lines_in_thread", distinct.size())
        .put(prefix + "lines_cut_with_pointer", pointed)
        .put(prefix + "lines_in_order", inOrder)
        .put(prefix + "lines_duplicated", seen.size() - distinct.size())
        .put(prefix + "calls_answered_429", rejected)
        .put(prefix + "max_calls_in_1s", maxInWindow(calls, TimeUnit.SECONDS.toNanos(1)), "<= 1")
        .put(prefix + "seconds_until_all_in", (lastAt - sent) / 1e9)
        .put(prefix + "command_status", status);
    return runId;
  }

  private static int maxInWindow(List<FakeSlack.MessageCall> calls, long window) {
    int max = 0;
    for (int i = 0; i < calls.size(); i++) {
      int n = 0;
      for (int j = i;
          j < calls.size() && calls.get(j).atNanos() - calls.get(i).atNanos() < window;
          j++) {
        n++;
      }
      max = Math.max(max, n);
    }
    return max;
  }
}
