package io.intentbot.bot.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.request.RequestHeaders;
import io.intentbot.bot.chat.ChatUser;
import io.intentbot.bot.chat.Command;
import io.intentbot.bot.chat.CommandHandler;
import io.intentbot.bot.chat.CommandParser;
import io.intentbot.bot.chat.Reply;
import io.intentbot.engine.Engine;
import io.intentbot.engine.definition.ParameterDefinition;
import io.intentbot.engine.model.Decision;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Bolt app does with each request: the {@code /intent} command, the approval buttons and
 * the parameter modal's submission. Each handler acknowledges at once and acts afterwards on a
 * worker thread; a request delivered twice (same trigger id, or the same signed bytes) is acted on
 * once ({@link ReplayKeys}).
 */
final class SlackRequests implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SlackRequests.class);

  private final Engine engine;
  private final SlackSettings settings;
  private final CommandHandler handler;
  private final ParameterModal modal;
  private final ChannelCheck channels;
  private final SlackMetrics metrics;
  private final SlackReplies replies;
  private final ModalOpener opener;
  private final ExecutorService workers = Executors.newFixedThreadPool(8, daemon("slack-work"));
  private volatile ReplayKeys seen = new RecentKeys(10_000);

  SlackRequests(
      Engine engine,
      SlackSettings settings,
      CommandHandler handler,
      ParameterModal modal,
      ChannelCheck channels,
      SlackMetrics metrics,
      SlackReplies replies,
      ModalOpener opener) {
    this.engine = engine;
    this.settings = settings;
    this.handler = handler;
    this.modal = modal;
    this.channels = channels;
    this.metrics = metrics;
    this.replies = replies;
    this.opener = opener;
  }

  /** Where the requests acted on are remembered; in memory until set. */
  void replayKeys(ReplayKeys keys) {
    this.seen = keys;
  }

  /** Registers the command, the approval buttons and the modal's submission on {@code app}. */
  void wire(App app) {
    app.command(
        settings.command(),
        (req, ctx) -> {
          long started = System.nanoTime();
          var p = req.getPayload();
          if (!settings.allows(p.getChannelId())) {
            return ctx.ack("intentbot is not enabled in this channel.");
          }
          ChatUser who = new ChatUser(p.getUserId(), p.getChannelId(), "slack");
          String text = SlackText.unescape(p.getText());
          RequestHeaders headers = req.getHeaders();
          workers.execute(
              () -> {
                if (first(headers, "command:" + p.getTriggerId())) {
                  command(text, who, p.getTriggerId(), p.getResponseUrl());
                }
              });
          metrics.ack(Duration.ofNanos(System.nanoTime() - started));
          return ctx.ack();
        });
    app.blockAction(SlackBlocks.APPROVE, (req, ctx) -> decide(req, ctx, true));
    app.blockAction(SlackBlocks.REJECT, (req, ctx) -> decide(req, ctx, false));
    app.viewSubmission(
        ParameterModal.CALLBACK_ID,
        (req, ctx) -> {
          var view = req.getPayload().getView();
          ParameterModal.Metadata meta = ParameterModal.metadata(view.getPrivateMetadata());
          var intent = engine.catalog().find(meta.intent());
          if (intent.isEmpty()) {
            return ctx.ack(
                r ->
                    r.responseAction("errors")
                        .errors(ParameterModal.gone(meta.intent(), view.getState())));
          }
          ParameterModal.Submitted submitted =
              modal.read(intent.get(), view.getState().getValues());
          if (!submitted.valid()) {
            return ctx.ack(r -> r.responseAction("errors").errors(submitted.errors()));
          }
          RequestHeaders headers = req.getHeaders();
          String user = req.getPayload().getUser().getId();
          ChatUser who = new ChatUser(user, meta.channel(), "slack");
          Command.Run run =
              new Command.Run(
                  meta.intent(), submitted.arguments(), meta.dryRun(), meta.breakGlass());
          workers.execute(
              () -> {
                try {
                  if (first(headers, "view:" + view.getId() + ":" + view.getHash())
                      && mayRecord(run, who, meta.responseUrl())) {
                    replies.send(handler.run(run, who), who, meta.responseUrl());
                  }
                } catch (RuntimeException e) {
                  replies.failed(e, who, meta.responseUrl());
                }
              });
          return ctx.ack();
        });
  }

  private com.slack.api.bolt.response.Response decide(
      com.slack.api.bolt.request.builtin.BlockActionRequest req,
      com.slack.api.bolt.context.builtin.ActionContext ctx,
      boolean approve) {
    long started = System.nanoTime();
    var p = req.getPayload();
    var action = p.getActions().get(0);
    String runId = action.getValue();
    String user = p.getUser().getId();
    RequestHeaders headers = req.getHeaders();
    String channel = p.getChannel() == null ? null : p.getChannel().getId();
    ChatUser who = new ChatUser(user, channel, "slack");
    workers.execute(
        () -> {
          if (!first(headers, "action:" + p.getTriggerId() + ":" + action.getActionTs())) {
            return;
          }
          try {
            Decision d =
                approve
                    ? engine.approve(runId, who.actor())
                    : engine.reject(runId, who.actor(), null);
            if (!d.accepted()) {
              replies.send(Reply.error(handler.outcomes().decision(d)), who, p.getResponseUrl());
            }
          } catch (RuntimeException e) {
            replies.failed(e, who, p.getResponseUrl());
          }
        });
    metrics.ack(Duration.ofNanos(System.nanoTime() - started));
    return ctx.ack();
  }

  private void command(String text, ChatUser who, String triggerId, String responseUrl) {
    try {
      Command command = CommandParser.parse(text);
      if (command instanceof Command.Run run) {
        if (!mayRecord(run, who, responseUrl)) {
          return;
        }
        List<ParameterDefinition> missing = handler.missingRequired(run);
        var intent = handler.intent(run.intent());
        if (!missing.isEmpty() && intent.isPresent() && triggerId != null) {
          opener.open(intent.get(), run, who, triggerId, responseUrl);
          return;
        }
      }
      replies.send(handler.handle(command, who), who, responseUrl);
    } catch (RuntimeException e) {
      replies.failed(e, who, responseUrl);
    }
  }

  /**
   * Whether a run asked for in {@code who.channel()} may be recorded: dry runs always (they answer
   * the requester only); others only where the bot can post its thread ({@link ChannelCheck}).
   * Otherwise the requester is told at once how to fix it.
   */
  private boolean mayRecord(Command.Run run, ChatUser who, String responseUrl) {
    if (run.dryRun()) {
      return true;
    }
    ChannelCheck.Result check = channels.check(who.channel());
    if (!check.ok()) {
      replies.send(Reply.error(check.problem()), who, responseUrl);
    }
    return check.ok();
  }

  /**
   * Whether this request is new: neither its own key (trigger id and the like) nor its signed bytes
   * (signature and timestamp) were seen before; both are remembered. Asked by the workers before
   * they act, not before the ack: a replay gets the same empty ack either way, and nothing on the
   * acknowledgement's path waits for the database.
   */
  private boolean first(RequestHeaders headers, String key) {
    String signature = headers == null ? null : headers.getFirstValue("X-Slack-Signature");
    String signed =
        signature == null
            ? null
            : "signed:" + headers.getFirstValue("X-Slack-Request-Timestamp") + ":" + signature;
    boolean first = seen.firstTime(Arrays.asList(key, signed));
    if (!first) {
      log.info(
          "ignoring a repeated delivery ({}, retry {})",
          key,
          headers == null ? null : headers.getFirstValue("X-Slack-Retry-Num"));
    }
    return first;
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    workers.shutdown();
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
