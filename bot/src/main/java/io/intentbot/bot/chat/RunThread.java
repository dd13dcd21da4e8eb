package io.intentbot.bot.chat;

import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunListener;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.StepStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Turns run events into a chat thread: one top message per run, updated as the run moves, and step
 * progress and output as lines below it. Chat-neutral; the {@link ThreadSink} posts.
 *
 * <p>A step's output is cut after {@code maxOutputLines} lines, followed by a typed {@link
 * ThreadUpdate.Line#outputCut} note that each adapter renders (the terminal points to {@code
 * intentbot show RUN}, Slack to the file it attaches); each line is cut to {@code maxLineLength}
 * characters.
 */
public final class RunThread implements RunListener {

  private final ThreadSink sink;
  private final IntentbotConfig config;
  private final Mentions mentions;
  private final Predicate<RunRecord> follows;
  private final int maxOutputLines;
  private final int maxLineLength;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  public RunThread(
      ThreadSink sink,
      IntentbotConfig config,
      Mentions mentions,
      Predicate<RunRecord> follows,
      int maxOutputLines,
      int maxLineLength) {
    this.sink = sink;
    this.config = config;
    this.mentions = mentions;
    this.follows = follows;
    this.maxOutputLines = maxOutputLines;
    this.maxLineLength = maxLineLength;
  }

  /** Follows non-dry runs whose origin has this {@code source}. */
  public static Predicate<RunRecord> fromSource(String source) {
    return run -> !run.dryRun() && source.equals(run.origin().get("source"));
  }

  private static final class State {
    String plan;
    String approvers;
    int required;
    int approvals;
    final List<String> approvedBy = new ArrayList<>();
    int totalSteps;
    int outputLines;
    boolean awaiting;
  }

  @Override
  public void onEvent(RunEvent event) {
    RunRecord run = event.run();
    if (!follows.test(run)) {
      return;
    }
    State state = states.computeIfAbsent(run.id(), id -> new State());
    synchronized (state) {
      handle(event, run, state);
    }
  }

  private void handle(RunEvent event, RunRecord run, State state) {
    if (event instanceof RunEvent.ApprovalRequested e) {
      state.plan = e.plan().describe().stripTrailing();
      state.approvers = mentions.approvers(e.policy());
      state.required = e.policy().required();
      state.awaiting = true;
      head(run, state, "waiting for approval (0 of " + state.required + ")");
    } else if (event instanceof RunEvent.ApprovalRecorded e) {
      String who = mentions.user(e.approval().user());
      if (e.approval().approved()) {
        state.approvedBy.add(e.approval().user());
        state.approvals = e.approvals();
        state.required = e.required();
        note(run, "Approved by " + who + " (" + e.approvals() + " of " + e.required() + ")");
        if (e.approvals() < e.required()) {
          head(run, state, "waiting for approval (" + e.approvals() + " of " + e.required() + ")");
        }
      } else {
        String why = e.approval().comment() == null ? "" : ": " + e.approval().comment();
        note(run, "Rejected by " + who + why);
      }
    } else if (event instanceof RunEvent.RunStarted e) {
      state.totalSteps = e.totalSteps();
      state.awaiting = false;
      if (run.origin().get("break_glass") != null) {
        state.approvers =
            config
                .environment(run.approvalEnvironment() == null ? "" : run.approvalEnvironment())
                .map(env -> mentions.approvers(env.approval()))
                .orElse(null);
        note(
            run,
            "BREAK GLASS by "
                + mentions.user(run.requester())
                + ": "
                + run.origin().get("break_glass")
                + ". Ran without approval; needs review"
                + (state.approvers == null ? "." : " by " + state.approvers + "."));
      }
      head(run, state, "running (" + e.totalSteps() + " steps)");
    } else if (event instanceof RunEvent.StepStarted e) {
      state.outputLines = 0;
      if (e.number() > 0) {
        head(
            run,
            state,
            "running step " + e.number() + " of " + e.totalSteps() + ": " + e.step().stepId());
      }
      note(run, "▶ " + label(e.step(), e.number(), e.totalSteps()) + " started");
    } else if (event instanceof RunEvent.OutputLine e) {
      state.outputLines++;
      if (state.outputLines <= maxOutputLines) {
        sink.accept(
            new ThreadUpdate.Line(
                run, ThreadUpdate.LineKind.OUTPUT, RunText.cut(e.line(), maxLineLength)));
      }
    } else if (event instanceof RunEvent.StepFinished e) {
      if (state.outputLines > maxOutputLines) {
        sink.accept(ThreadUpdate.Line.outputCut(run, state.outputLines - maxOutputLines));
      }
      note(run, stepResult(e.step()));
    } else if (event instanceof RunEvent.DecidedElsewhere e) {
      state.awaiting = false;
      String where = elsewhere(e.event());
      String who = mentions.user(e.event().user());
      String text =
          switch (e.event().action()) {
            case "approve" -> "approved by " + who + " " + where;
            case "reject" -> "rejected by " + who + " " + where;
            case "cancel" -> "cancelled by " + who + " " + where;
            default -> e.event().action() + " by " + who + " " + where;
          };
      note(
          run,
          Character.toUpperCase(text.charAt(0))
              + text.substring(1)
              + "; now "
              + run.status().label()
              + (run.status().isTerminal()
                  ? ""
                  : " in the process that decided; its steps are not threaded here (on the bot's"
                      + " host, `intentbot show "
                      + run.id()
                      + "` shows them)"));
      head(run, state, text + " (" + run.status().label() + ")");
      if (run.status().isTerminal()) {
        states.remove(run.id());
      }
    } else if (event instanceof RunEvent.RunFinished e) {
      finished(run, state, e.rolledBack());
    } else if (event instanceof RunEvent.FinishedElsewhere e) {
      state.approvedBy.clear();
      state.approvedBy.addAll(e.approvedBy());
      finished(run, state, e.rolledBack());
    }
  }

  /** The result, however the run ended: here, or in the terminal that took it over. */
  private void finished(RunRecord run, State state, boolean rolledBack) {
    state.awaiting = false;
    head(run, state, finishedState(run, rolledBack));
    note(run, "Run " + finishedState(run, rolledBack));
    states.remove(run.id());
  }

  /** {@code from the command line (alice@build-1)}. */
  private static String elsewhere(io.intentbot.engine.model.AccessEvent event) {
    String place = "console".equals(event.source()) ? "from the console" : "from the command line";
    if (event.osUser() != null) {
      place += " (" + event.osUser() + (event.host() == null ? "" : "@" + event.host()) + ")";
    }
    return place;
  }

  private void head(RunRecord run, State state, String text) {
    sink.accept(
        new ThreadUpdate.Head(
            run,
            new RunHead(
                run,
                text,
                state.awaiting ? state.plan : null,
                state.awaiting,
                state.approvers,
                state.approvedBy,
                run.origin().get("break_glass"))));
  }

  private void note(RunRecord run, String text) {
    sink.accept(new ThreadUpdate.Line(run, ThreadUpdate.LineKind.NOTE, text));
  }

  private static String label(StepRecord step, int number, int total) {
    String where = number > 0 ? "step " + number + "/" + total : step.phase().replace('_', ' ');
    return where + " `" + step.stepId() + "` (" + step.type() + ")";
  }

  private static String stepResult(StepRecord step) {
    String took =
        step.durationMillis() >= 0
            ? " in " + RunText.duration(Duration.ofMillis(step.durationMillis()))
            : "";
    String mark =
        step.status() == StepStatus.SUCCEEDED
            ? "✔"
            : step.status() == StepStatus.FAILED ? "✖" : "•";
    String text = mark + " `" + step.stepId() + "` " + step.status().label() + took;
    if (step.reason() != null) {
      text += ": " + step.reason();
    }
    return text;
  }

  private static String finishedState(RunRecord run, boolean rolledBack) {
    StringBuilder text = new StringBuilder(run.status().label());
    if (run.status() == RunStatus.EXPIRED) {
      text = new StringBuilder("approval expired");
    }
    if (run.startedAt() != null && run.finishedAt() != null) {
      text.append(" in ")
          .append(RunText.duration(Duration.between(run.startedAt(), run.finishedAt())));
    }
    if (rolledBack) {
      text.append(", rolled back");
    }
    if (run.reason() != null && run.status() != RunStatus.SUCCEEDED) {
      text.append(": ").append(run.reason());
    }
    return text.toString();
  }
}
