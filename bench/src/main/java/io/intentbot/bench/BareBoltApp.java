package io.intentbot.bench;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.jetty.SlackAppServer;

/**
 * The baseline of the acknowledgement benchmark: a Bolt app on bolt-jetty that verifies the
 * signature and acknowledges {@code /intent}, nothing else. Arguments: PORT SLACK_API_URL.
 */
public final class BareBoltApp {

  private BareBoltApp() {}

  public static void main(String[] args) throws Exception {
    SlackConfig slackConfig = new SlackConfig();
    slackConfig.setMethodsEndpointUrlPrefix(args[1]);
    App app =
        new App(
            AppConfig.builder()
                .singleTeamBotToken(ServedBot.BOT_TOKEN)
                .signingSecret(ServedBot.SIGNING_SECRET)
                .slack(Slack.getInstance(slackConfig))
                .build());
    app.command("/intent", (req, ctx) -> ctx.ack());
    SlackAppServer server = new SlackAppServer(app, Integer.parseInt(args[0]));
    server.start();
  }
}
