package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.bot.testing.FakeSlack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code intentbot serve} as a real process: /metrics needs INTENTBOT_METRICS_TOKEN when set. */
class ServeMetricsTokenIT {

  private static final Pattern PORT = Pattern.compile("serving Slack on port (\\d+)");
  private static final String TOKEN = "metrics-token-0123456789";

  @TempDir Path dir;
  FakeSlack slack = new FakeSlack();
  Process serve;

  @AfterEach
  void stop() {
    if (serve != null) {
      serve.destroyForcibly();
    }
    slack.close();
  }

  @Test
  void metricsAnswerOnlyTheBearerOfTheToken() throws Exception {
    ProcessBuilder builder = ServeProcess.builder(dir, slack);
    var env = builder.environment();
    env.put("INTENTBOT_LEADER_ELECTION", "database");
    env.put("INTENTBOT_METRICS_TOKEN", TOKEN);
    Path log = ServeProcess.log(dir);
    serve = builder.start();

    int[] port = new int[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Matcher m = PORT.matcher(Files.readString(log));
              if (m.find()) {
                port[0] = Integer.parseInt(m.group(1));
                return true;
              }
              return !serve.isAlive();
            });
    assertThat(serve.isAlive()).as(Files.readString(log)).isTrue();
    HttpClient http = HttpClient.newHttpClient();
    URI metrics = URI.create("http://127.0.0.1:" + port[0] + "/metrics");

    HttpResponse<String> anonymous =
        http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> wrong =
        http.send(
            HttpRequest.newBuilder(metrics).header("Authorization", "Bearer guess").build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> bearer =
        http.send(
            HttpRequest.newBuilder(metrics).header("Authorization", "Bearer " + TOKEN).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port[0] + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"intentbot metrics\"");
    assertThat(anonymous.body()).doesNotContain("intentbot_");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(bearer.statusCode()).isEqualTo(200);
    assertThat(bearer.body()).doesNotContain("needs Authorization");
    assertThat(health.statusCode()).as("the probes need no token").isEqualTo(200);
  }
}
