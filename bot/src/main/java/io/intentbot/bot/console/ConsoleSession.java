package io.intentbot.bot.console;

import io.intentbot.bot.chat.ChatUser;
import io.intentbot.bot.chat.CommandHandler;
import io.intentbot.bot.chat.Mentions;
import io.intentbot.bot.chat.OutcomeText;
import io.intentbot.bot.chat.Reply;
import io.intentbot.bot.chat.RunHead;
import io.intentbot.bot.chat.RunThread;
import io.intentbot.bot.chat.ThreadUpdate;
import io.intentbot.engine.Engine;
import io.intentbot.engine.model.Actor;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local chat: reads what a user would type after {@code /intent}, one command a line, and prints
 * the replies, each run's top message, its thread and approval prompts as text while the run
 * streams. {@code as USER} (or {@code --as USER}) switches the user; {@code exit} or end of input
 * ends the session. Runs are followed in the background: their threads print as they go while the
 * next line is read and answered ({@code status}, {@code cancel}, another run). At {@code exit} or
 * end of input the session waits for the runs it started that are still going (up to the follow
 * timeout), so that a piped session ends with its runs' ends.
 *
 * <pre>{@code
 * new ConsoleSession(engine, "alice", System.in, System.out).run();
 * }</pre>
 */
public final class ConsoleSession {

  public static final String SOURCE = "console";

  private final Engine engine;
  private final CommandHandler handler;
  private final BufferedReader in;
  private final PrintStream out;
  private final Duration followTimeout;
  private final String osUser;
  private final String host;
  private final boolean mayActAsOthers;
  private String user;
  private int answered;
  private final Set<String> going = ConcurrentHashMap.newKeySet();

  /** A session for code that embeds the console (tests): {@code as USER} switches freely. */
  public ConsoleSession(Engine engine, String user, InputStream in, PrintStream out) {
    this(engine, user, in, out, Duration.ofHours(2));
  }

  /** {@code followTimeout}: how long to wait at the end for the runs still going. */
  public ConsoleSession(
      Engine engine, String user, InputStream in, PrintStream out, Duration followTimeout) {
    this(engine, new ChatUser(user, null, SOURCE), true, in, out, followTimeout);
  }

  /**
   * A session of an operating-system user ({@code who} carries it and the host): {@code as USER} is
   * honoured only when {@code mayActAsOthers} ({@code trusted_os_users}); otherwise it is refused,
   * and the refusal recorded.
   */
  public ConsoleSession(
      Engine engine,
      ChatUser who,
      boolean mayActAsOthers,
      InputStream in,
      PrintStream out,
      Duration followTimeout) {
    this.engine = engine;
    String user = who.user();
    this.osUser = who.osUser();
    this.host = who.host();
    this.mayActAsOthers = mayActAsOthers;
    this.user = user == null || user.isBlank() ? System.getProperty("user.name", "me") : user;
    this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    this.out = out;
    this.followTimeout = followTimeout;
    this.handler = new CommandHandler(engine, Mentions.PLAIN);
    engine.addListener(
        new RunThread(
            this::print, engine.config(), Mentions.PLAIN, RunThread.fromSource(SOURCE), 200, 2000));
  }

  public String user() {
    return user;
  }

  /**
   * Reads and answers lines until {@code exit} or end of input; returns the process exit code: 0 (a
   * refused or invalid command is an answer, not a failure of the session).
   */
  public int run() throws IOException {
    say(
        "intentbot console as "
            + user
            + ": type `help`, `as USER` to switch user, `exit` to leave.");
    while (true) {
      prompt();
      String line = in.readLine();
      if (line == null) {
        break;
      }
      line = line.strip();
      if (line.isEmpty()) {
        continue;
      }
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.equals("exit") || lower.equals("quit")) {
        break;
      }
      if (line.startsWith("/intent ")) {
        line = line.substring("/intent ".length()).strip();
      }
      if (lower.startsWith("as ") || lower.startsWith("--as ")) {
        switchTo(line.substring(line.indexOf(' ') + 1).strip());
        answered++;
        continue;
      }
      Reply reply = handler.handle(line, new ChatUser(user, null, SOURCE, osUser, host));
      say((reply.error() ? "! " : "") + reply.text());
      answered++;
      if (reply.runId() != null && inProgress(reply.runId())) {
        going.add(reply.runId());
      }
    }
    awaitGoing();
    return 0;
  }

  private void switchTo(String claimed) {
    if (mayActAsOthers || claimed.equals(user)) {
      user = claimed;
      say("You are now " + user + ".");
      return;
    }
    Refusal refusal = engine.refuseIdentity(new Actor(user, SOURCE, null, osUser, host), claimed);
    say("! Refused: " + OutcomeText.PLAIN.refusal(refusal));
  }

  /** How many lines were answered so far. */
  public int answered() {
    return answered;
  }

  private boolean inProgress(String runId) {
    RunStatus status = engine.run(runId).map(RunRecord::status).orElse(RunStatus.FAILED);
    return status == RunStatus.PENDING || status == RunStatus.RUNNING;
  }

  /** The runs this session started (or approved) that are still going, each until it ends. */
  private void awaitGoing() {
    for (String runId : going) {
      if (inProgress(runId)) {
        say("waiting for run " + runId + " to finish (Ctrl-C cancels it)");
        try {
          engine.awaitFinished(runId, followTimeout);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    going.clear();
  }

  private void prompt() {
    synchronized (out) {
      out.print(user + "> ");
      out.flush();
    }
  }

  private void say(String text) {
    synchronized (out) {
      out.println(text);
      out.flush();
    }
  }

  private void print(ThreadUpdate update) {
    String id = update.run().id();
    if (update instanceof ThreadUpdate.Head h) {
      {
        RunHead head = h.head();
        StringBuilder text = new StringBuilder("[" + id + "] " + head.text(Mentions.PLAIN));
        if (head.awaitingApproval()) {
          if (head.plan() != null) {
            text.append("\n[").append(id).append("] plan:\n");
            head.plan().lines().forEach(l -> text.append("    ").append(l).append('\n'));
          }
          text.append("[")
              .append(id)
              .append("] may approve: ")
              .append(head.approvers())
              .append(" - type `approve ")
              .append(id)
              .append("` or `reject ")
              .append(id)
              .append("`");
        }
        say(text.toString().stripTrailing());
      }
    } else if (update instanceof ThreadUpdate.Line l) {
      say("  [" + id + "] " + (l.kind() == ThreadUpdate.LineKind.OUTPUT ? "| " : "") + l.text());
    }
  }
}
