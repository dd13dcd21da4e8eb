package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SlackBed;
import io.intentbot.bot.testing.TestIntents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java @config/jvm.options -jar intentbot.jar serve --port 0} as a real process over a
 * temporary folder with the test intents and config, signing with {@link SlackBed#SECRET} against a
 * fake Slack; its output goes to {@code serve.log} in that folder.
 */
final class ServeProcess {

  private ServeProcess() {}

  /** The process builder, its environment set; callers add what their test needs. */
  static ProcessBuilder builder(Path dir, FakeSlack slack) throws IOException {
    Path intents = Files.createDirectories(dir.resolve("intents"));
    Files.writeString(intents.resolve("deploy-app.yaml"), TestIntents.DEPLOY);
    Files.writeString(dir.resolve("intentbot.yaml"), TestIntents.CONFIG);
    ProcessBuilder builder =
        new ProcessBuilder(io.intentbot.bot.testing.ShippedJar.command("serve", "--port", "0"))
            .directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.remove("KUBERNETES_SERVICE_HOST");
    env.put("INTENTBOT_CONFIG", dir.resolve("intentbot.yaml").toString());
    env.put("INTENTBOT_INTENTS", intents.toString());
    env.put("INTENTBOT_DATA", dir.resolve("data").toString());
    env.put("SLACK_BOT_TOKEN", "xoxb-test-token-0123456789");
    env.put("SLACK_SIGNING_SECRET", SlackBed.SECRET);
    env.put("SLACK_API_URL", slack.apiUrl());
    builder.redirectErrorStream(true).redirectOutput(log(dir).toFile());
    return builder;
  }

  /** Where the process writes its output. */
  static Path log(Path dir) {
    return dir.resolve("serve.log");
  }

  /**
   * A JVM start, migrations and Slack: seconds when idle, far more on two cores shared by several
   * builds. The deadline is for a hang, not speed.
   */
  static final Duration STARTUP = Duration.ofSeconds(120);

  private static final Pattern PORT = Pattern.compile("serving Slack on port (\\d+)");

  /** The port {@code serve} says it listens on, once it says so; fails when it exits first. */
  static int awaitPort(Process serve, Path dir) throws IOException {
    int[] port = {-1};
    await()
        .atMost(STARTUP)
        .until(
            () -> {
              Matcher m = PORT.matcher(Files.readString(log(dir)));
              if (m.find()) {
                port[0] = Integer.parseInt(m.group(1));
                return true;
              }
              return !serve.isAlive();
            });
    assertThat(port[0]).as("serve exited:%n%s", Files.readString(log(dir))).isPositive();
    return port[0];
  }
}
