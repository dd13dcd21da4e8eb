package io.intentbot.bot.chat;

import io.intentbot.engine.Engine;
import io.intentbot.engine.audit.AuditStoreException;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.definition.ParameterDefinition;
import io.intentbot.engine.model.Actor;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.StepRecord;
import io.intentbot.engine.model.Submission;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers chat commands through the {@link Engine}; the same for Slack, the console and tests. The
 * run's thread is not posted here: adapters follow runs through a {@link RunThread}.
 *
 * <pre>{@code
 * CommandHandler handler = new CommandHandler(engine, Mentions.PLAIN);
 * Reply reply = handler.handle("deploy-app app=web env=sandbox", new ChatUser("alice", null, "console"));
 * }</pre>
 */
public final class CommandHandler {

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'").withZone(ZoneOffset.UTC);

  private static final Logger LOG = LoggerFactory.getLogger(CommandHandler.class);

  private final Engine engine;
  private final Mentions mentions;
  private final OutcomeText outcomes;

  /** Outcomes in the style that goes with {@code mentions} ({@link OutcomeText#forChat}). */
  public CommandHandler(Engine engine, Mentions mentions) {
    this(engine, mentions, OutcomeText.forChat(mentions));
  }

  public CommandHandler(Engine engine, Mentions mentions, OutcomeText outcomes) {
    this.engine = engine;
    this.mentions = mentions;
    this.outcomes = outcomes;
  }

  /** How this handler words the engine's decisions and refusals. */
  public OutcomeText outcomes() {
    return outcomes;
  }

  public Engine engine() {
    return engine;
  }

  /** Help as the access rules show it to each user ({@link IntentHelp#list(Actor)}). */
  public IntentHelp help() {
    return new IntentHelp(engine.catalog(), engine.config(), mentions, engine.access());
  }

  public Reply handle(String text, ChatUser who) {
    return handle(CommandParser.parse(text), who);
  }

  /**
   * Answers one command. When the audit database cannot be reached, the answer says so (and that
   * nothing was run) instead of failing: a run is never started without its record.
   */
  public Reply handle(Command command, ChatUser who) {
    return guarded(() -> answer(command, who), who);
  }

  private static Reply guarded(Supplier<Reply> work, ChatUser who) {
    try {
      return work.get();
    } catch (AuditStoreException e) {
      LOG.warn("audit database unavailable for {}: {}", who.user(), e.getMessage());
      return Reply.error(
          "The audit database cannot be reached right now, so nothing was run or changed."
              + " Please try again in a moment; if it keeps happening, tell whoever runs intentbot.");
    }
  }

  private Reply answer(Command command, ChatUser who) {
    Actor actor = who.actor();
    if (command instanceof Command.Help) {
      return Reply.info(help().help(actor));
    } else if (command instanceof Command.ListIntents) {
      return Reply.info(help().list(actor));
    } else if (command instanceof Command.Describe d) {
      return help().describe(d.intent(), actor);
    } else if (command instanceof Command.History h) {
      return history(h.intent());
    } else if (command instanceof Command.Status s) {
      return status(s.runId());
    } else if (command instanceof Command.Cancel c) {
      return decision(engine.cancel(c.runId(), actor));
    } else if (command instanceof Command.Approve a) {
      return decision(engine.approve(a.runId(), actor));
    } else if (command instanceof Command.Reject r) {
      return decision(engine.reject(r.runId(), actor, r.reason()));
    } else if (command instanceof Command.Acknowledge a) {
      return decision(engine.acknowledge(a.runId(), actor, a.note()));
    } else if (command instanceof Command.Run r) {
      return submit(r, who);
    } else {
      return Reply.error(
          ((Command.Malformed) command).message() + "\nType `help` for the commands.");
    }
  }

  /** Required parameters of the intent that the command leaves out (empty for unknown intents). */
  public List<ParameterDefinition> missingRequired(Command.Run command) {
    Set<String> given =
        command.arguments().stream()
            .map(a -> a.substring(0, a.indexOf('=')))
            .collect(Collectors.toSet());
    return engine
        .catalog()
        .find(command.intent())
        .map(
            intent ->
                intent.parameters().stream()
                    .filter(p -> p.required() && !given.contains(p.name()))
                    .toList())
        .orElse(List.of());
  }

  /** Runs an intent (as {@link #handle} does for a {@link Command.Run}). */
  public Reply run(Command.Run command, ChatUser who) {
    return guarded(() -> submit(command, who), who);
  }

  private Reply submit(Command.Run command, ChatUser who) {
    if (engine.catalog().find(command.intent()).isEmpty()) {
      return Reply.error(help().unknownIntent(command.intent()));
    }
    Map<String, String> origin = new HashMap<>(who.origin());
    if (command.breakGlassReason() != null) {
      origin.put("break_glass", command.breakGlassReason());
    }
    RunRequest request =
        new RunRequest(
            command.intent(),
            command.arguments(),
            who.user(),
            command.dryRun(),
            command.breakGlassReason(),
            origin);
    Submission submission = engine.submit(request);
    if (submission instanceof Submission.Invalid i) {
      return Reply.error(invalid(command.intent(), i.errors()));
    } else if (submission instanceof Submission.Refused r) {
      return Reply.error(
          "Refused: "
              + outcomes.refusal(r.reason())
              + (r.lockHolder() == null ? "" : " (lock held by run `" + r.lockHolder() + "`)"));
    } else if (submission instanceof Submission.Planned p) {
      String text =
          "Dry run `"
              + p.run().id()
              + "` of `"
              + command.intent()
              + "`: nothing was changed.\n```\n"
              + p.plan().describe().stripTrailing()
              + "\n```";
      return (p.plan().complete()
              ? Reply.info(text)
              : Reply.error(text + "\nThis dry run failed: " + outcomes.incomplete(p.plan())))
          .withRun(p.run().id());
    } else if (submission instanceof Submission.AwaitingApproval a) {
      return Reply.info(
              "Run `"
                  + a.run().id()
                  + "` waits for "
                  + a.policy().required()
                  + " approval(s) from "
                  + mentions.approvers(a.policy())
                  + ".")
          .withRun(a.run().id());
    } else {
      Submission.Started s = (Submission.Started) submission;
      return Reply.info(
              "Started run `"
                  + s.run().id()
                  + "`"
                  + (command.breakGlassReason() == null ? "" : " (break glass: approvers notified)")
                  + ".")
          .withRun(s.run().id());
    }
  }

  private String invalid(String intentName, List<String> errors) {
    StringBuilder out = new StringBuilder("Cannot run `").append(intentName).append("`:\n");
    errors.forEach(e -> out.append("• ").append(e).append('\n'));
    engine
        .catalog()
        .find(intentName)
        .ifPresent(
            intent -> {
              IntentHelp help = help();
              out.append("Parameters:\n");
              intent.parameters().forEach(p -> out.append(help.parameterLine(p)).append('\n'));
            });
    return out.toString().stripTrailing();
  }

  private Reply decision(Decision decision) {
    String text = outcomes.decision(decision);
    Reply reply = decision.accepted() ? Reply.info(text) : Reply.error(text);
    return decision.run() == null ? reply : reply.withRun(decision.run().id());
  }

  private Reply history(String intent) {
    if (intent != null && engine.catalog().find(intent).isEmpty()) {
      return Reply.error(help().unknownIntent(intent));
    }
    List<RunRecord> runs = engine.history(intent, 15);
    if (runs.isEmpty()) {
      return Reply.info("No runs yet.");
    }
    StringBuilder out = new StringBuilder("*Recent runs*\n");
    for (RunRecord run : runs) {
      out.append("• `")
          .append(run.id())
          .append("` ")
          .append(run.intent())
          .append(' ')
          .append(RunText.parameters(run))
          .append(" - ")
          .append(run.status().label())
          .append(run.dryRun() ? " (dry run)" : "")
          .append(", ")
          .append(mentions.user(run.requester()))
          .append(", ")
          .append(WHEN.format(run.createdAt()))
          .append(run.origin().get("break_glass") == null ? "" : breakGlassFlag(run))
          .append('\n');
    }
    return Reply.info(out.toString().stripTrailing());
  }

  /** {@code , BREAK GLASS: needs review} until an approver acknowledges the run. */
  private String breakGlassFlag(RunRecord run) {
    return engine.audit().review(run.id()).isPresent()
        ? ", break glass (reviewed)"
        : ", *BREAK GLASS: needs review*";
  }

  private Reply status(String runId) {
    return engine
        .run(runId)
        .map(run -> Reply.info(statusText(run, engine.steps(runId))))
        .orElseGet(() -> Reply.error("No run `" + runId + "`. Type `history` for recent runs."));
  }

  private String statusText(RunRecord run, List<StepRecord> steps) {
    StringBuilder out = new StringBuilder();
    out.append("`")
        .append(run.id())
        .append("` ")
        .append(run.intent())
        .append(' ')
        .append(RunText.parameters(run))
        .append("\nStatus: *")
        .append(run.status().label())
        .append('*');
    if (run.reason() != null) {
      out.append(" - ").append(run.reason());
    }
    out.append("\nRequested by ").append(mentions.user(run.requester()));
    out.append(" at ").append(WHEN.format(run.createdAt()));
    engine.audit().approvals(run.id()).stream()
        .flatMap(a -> a.breakGlassReason().stream())
        .findFirst()
        .ifPresent(
            reason ->
                out.append("\n*Break glass* (")
                    .append(reason)
                    .append("): ")
                    .append(
                        engine
                            .audit()
                            .review(run.id())
                            .map(r -> "acknowledged by " + mentions.user(r.user()))
                            .orElse("needs review - an approver types `ack " + run.id() + "`")));
    if (run.startedAt() != null && run.finishedAt() != null) {
      out.append(", took ")
          .append(RunText.duration(Duration.between(run.startedAt(), run.finishedAt())));
    }
    for (StepRecord step : steps) {
      out.append("\n• ").append(step.stepId()).append(": ").append(step.status().label());
      if (step.durationMillis() >= 0) {
        out.append(" (")
            .append(RunText.duration(Duration.ofMillis(step.durationMillis())))
            .append(')');
      }
      if (step.reason() != null) {
        out.append(" - ").append(step.reason());
      }
    }
    return out.toString();
  }

  /** The intent of a run command, when it exists. */
  public java.util.Optional<IntentDefinition> intent(String name) {
    return engine.catalog().find(name);
  }
}
