package io.intentbot.bot.slack;

import com.slack.api.methods.MethodsClient;
import io.intentbot.bot.chat.ChatUser;
import io.intentbot.bot.chat.Command;
import io.intentbot.bot.chat.CommandHandler;
import io.intentbot.bot.chat.Reply;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.definition.ParameterDefinition;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens the parameter modal ({@code views.open}) for a command that lacks required parameters, with
 * the ones given filled in; when Slack asks to slow down or refuses, tells the requester how to go
 * on without it (type the parameters, {@code describe INTENT}).
 */
final class ModalOpener {

  private final MethodsClient methods;
  private final ParameterModal modal;
  private final CommandHandler handler;
  private final SlackRateLimits limits;
  private final SlackHealth health;
  private final SlackMetrics metrics;
  private final SlackReplies replies;

  ModalOpener(
      MethodsClient methods,
      ParameterModal modal,
      CommandHandler handler,
      SlackRateLimits limits,
      SlackHealth health,
      SlackMetrics metrics,
      SlackReplies replies) {
    this.methods = methods;
    this.modal = modal;
    this.handler = handler;
    this.limits = limits;
    this.health = health;
    this.metrics = metrics;
    this.replies = replies;
  }

  void open(
      IntentDefinition intent,
      Command.Run run,
      ChatUser who,
      String triggerId,
      String responseUrl) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String argument : run.arguments()) {
      int eq = argument.indexOf('=');
      given.put(argument.substring(0, eq), argument.substring(eq + 1));
    }
    String view =
        modal.view(
            intent,
            given,
            new ParameterModal.Metadata(
                intent.name(), who.channel(), run.dryRun(), run.breakGlassReason(), responseUrl));
    try {
      if (!limits.mayCall("views.open", null)) {
        replies.send(
            Reply.error(
                "Slack asked intentbot to slow down, so the form cannot open right now."
                    + " Type the parameters (`describe "
                    + intent.name()
                    + "`) or try again in a few seconds."),
            who,
            responseUrl);
        return;
      }
      var response = methods.viewsOpen(r -> r.triggerId(triggerId).viewAsString(view));
      if (!response.isOk()) {
        if (SlackHealth.configurationError(response.getError())) {
          health.problem("views.open", response.getError(), response.getNeeded());
        }
        metrics.slackError("views.open", response.getError());
        replies.send(
            Reply.error(
                "Missing "
                    + String.join(
                        ", ",
                        handler.missingRequired(run).stream()
                            .map(ParameterDefinition::name)
                            .toList())
                    + ". Type `describe "
                    + intent.name()
                    + "` for the parameters."),
            who,
            responseUrl);
      }
    } catch (com.slack.api.methods.SlackApiException e) {
      metrics.slackError("views.open", String.valueOf(e.getResponse().code()));
      if (e.getResponse().code() == 429) {
        limits.rateLimited("views.open", null, e.getResponse().header("Retry-After"));
      }
      replies.send(
          Reply.error(
              "The form could not open (Slack: HTTP "
                  + e.getResponse().code()
                  + "). Type the parameters (`describe "
                  + intent.name()
                  + "`) or try again."),
          who,
          responseUrl);
    } catch (Exception e) {
      metrics.slackError("views.open", "io");
      replies.failed(e, who, responseUrl);
    }
  }
}
