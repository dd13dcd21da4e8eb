package io.intentbot.bot.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import io.intentbot.bot.slack.SlackServer;
import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SignedRequests;
import io.intentbot.bot.testing.SlackBed;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code intentbot serve} as a real process: each start-up failure is one line naming the problem
 * and the fix, with no stack trace; Slack unreachable at start is not one (it serves, {@code
 * /healthz} says so, it keeps trying and recovers); intent files that did not load are named in the
 * log, on {@code /healthz} and in chat.
 */
class ServeStartupIT {

  static final String BROKEN =
      """
      name: broken
      description: An intent whose step type does not exist
      risk: read-only
      steps:
        - id: first
          type: no-such-step-type
      """;

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

  /** Runs serve to its end; its whole output. */
  private String failedStart(ProcessBuilder builder, int exitCode) throws Exception {
    serve = builder.start();
    assertThat(serve.waitFor(ServeProcess.STARTUP.toSeconds(), TimeUnit.SECONDS))
        .as("serve stopped")
        .isTrue();
    String output = Files.readString(ServeProcess.log(dir));
    assertThat(serve.exitValue()).as(output).isEqualTo(exitCode);
    assertThat(output).as("no stack trace").doesNotContain("\tat ", "Exception in thread");
    return output;
  }

  @Test
  void aPortThatIsNotANumberIsOneLine() throws Exception {
    ProcessBuilder builder = ServeProcess.builder(dir, slack);
    builder.command().removeAll(List.of("--port", "0"));
    builder.environment().put("INTENTBOT_PORT", "abc");
    assertThat(failedStart(builder, ExitCode.INVALID))
        .isEqualTo(
            "intentbot serve: INTENTBOT_PORT must be a port number from 0 to 65535, got 'abc'\n");
  }

  @Test
  void aPortInUseIsOneLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      ProcessBuilder builder = ServeProcess.builder(dir, slack);
      int at = builder.command().indexOf("--port");
      builder.command().set(at + 1, String.valueOf(taken.getLocalPort()));
      assertThat(failedStart(builder, ExitCode.FAILED))
          .contains(
              "intentbot serve: port "
                  + taken.getLocalPort()
                  + " is in use (another process listens on it): choose another with --port or"
                  + " INTENTBOT_PORT\n");
    }
  }

  @Test
  void anInvalidConfigIsOneLinePerProblem() throws Exception {
    ProcessBuilder builder = ServeProcess.builder(dir, slack);
    Files.writeString(dir.resolve("intentbot.yaml"), "apps: [web]\nbogus: 1\n");
    assertThat(failedStart(builder, ExitCode.INVALID))
        .startsWith("intentbot serve: ")
        .contains("intentbot.yaml:2:1: unknown key 'bogus'")
        .hasLineCount(1);
  }

  @Test
  void anUnreachableDatabaseIsOneLine() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    ProcessBuilder builder = ServeProcess.builder(dir, slack);
    builder.environment().put("INTENTBOT_DB_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/x");
    assertThat(failedStart(builder, ExitCode.FAILED))
        .contains("intentbot serve: the audit database is not reachable: ")
        .contains("(check INTENTBOT_DB_URL)\n")
        .hasLineCount(1);
  }

  @Test
  void aTokenSlackRejectsIsFatalWithThatWord() throws Exception {
    slack.server.stubFor(
        post(urlEqualTo("/api/auth.test"))
            .atPriority(1)
            .willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
    String output = failedStart(ServeProcess.builder(dir, slack), ExitCode.INVALID);
    assertThat(output)
        .contains("intentbot serve: Slack rejected SLACK_BOT_TOKEN: invalid_auth")
        .doesNotContain("serving Slack on port");
  }

  @Test
  void slackUnreachableAtStartServesSaysSoAndRecovers() throws Exception {
    StubMapping down =
        slack.server.stubFor(
            post(urlEqualTo("/api/auth.test"))
                .atPriority(1)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    Path intents = Files.createDirectories(dir.resolve("intents"));
    Files.writeString(intents.resolve("broken.yaml"), BROKEN);
    ProcessBuilder builder = ServeProcess.builder(dir, slack);
    builder.environment().put("INTENTBOT_SLACK_UNREADY_AFTER", "10m");
    serve = builder.start();
    int port = ServeProcess.awaitPort(serve, dir);
    String base = "http://127.0.0.1:" + port;
    SignedRequests requests =
        new SignedRequests(base + SlackServer.EVENTS_PATH, SlackBed.SECRET, slack);

    String log = Files.readString(ServeProcess.log(dir));
    assertThat(log)
        .contains("Slack is unreachable")
        .containsPattern("invalid intent file: broken\\.yaml:\\d+:\\d+: .*no-such-step-type")
        .contains("1 intent file(s) did not load")
        .doesNotContain("\tat ");

    HttpResponse<String> health = requests.get(base + "/healthz");
    assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
    assertThat(health.body())
        .startsWith("{\"status\":\"degraded\",\"slack\":\"unreachable\",\"database\":\"ok\"")
        .containsPattern(
            "\"broken_intents\":\\[\"broken\\.yaml:\\d+:\\d+: [^\"]*no-such-step-type");

    requests.command("U0ALICE", SlackBed.CHANNEL, "broken");
    await().atMost(SlackBed.WAIT).until(() -> !slack.calls("/response/U0ALICE-").isEmpty());
    assertThat(slack.calls("/response/U0ALICE-").get(0).form().get("json"))
        .contains("broken.yaml is invalid: broken.yaml:")
        .doesNotContain("Unknown intent");

    slack.server.removeStub(down);
    await()
        .atMost(ServeProcess.STARTUP)
        .alias("retried with back-off until Slack answered")
        .until(() -> requests.get(base + "/healthz").body().contains("\"slack\":\"ok\""));
    assertThat(requests.get(base + "/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void slackUnreachableForLongerThanAllowedIsNotReady() throws Exception {
    slack.server.stubFor(
        post(urlEqualTo("/api/auth.test"))
            .atPriority(1)
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    ProcessBuilder builder = ServeProcess.builder(dir, slack);
    builder.environment().put("INTENTBOT_SLACK_UNREADY_AFTER", "0s");
    serve = builder.start();
    int port = ServeProcess.awaitPort(serve, dir);
    HttpResponse<String> health =
        new SignedRequests("http://127.0.0.1:" + port, SlackBed.SECRET, slack)
            .get("http://127.0.0.1:" + port + "/healthz");
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(health.body())
        .startsWith("{\"status\":\"unavailable\",\"slack\":\"unreachable\",\"database\":\"ok\"");
  }

  /** {@code intentbot socket} instead of serve, with an app token. */
  private ProcessBuilder socket() throws Exception {
    ProcessBuilder builder = ServeProcess.builder(dir, slack);
    builder.command().removeAll(List.of("--port", "0"));
    builder.command().set(builder.command().indexOf("serve"), "socket");
    builder.environment().put("SLACK_APP_TOKEN", "xapp-test-token-0123456789");
    return builder;
  }

  @Test
  void socketModeWithAnAppTokenSlackRejectsIsFatalWithThatWord() throws Exception {
    slack.server.stubFor(
        post(urlEqualTo("/api/apps.connections.open"))
            .willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
    assertThat(failedStart(socket(), ExitCode.INVALID))
        .contains("intentbot socket: Slack rejected SLACK_APP_TOKEN: invalid_auth");
  }

  @Test
  void socketModeWithSlackUnreachableKeepsTrying() throws Exception {
    slack.server.stubFor(
        post(urlEqualTo("/api/apps.connections.open"))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    serve = socket().start();
    await()
        .atMost(ServeProcess.STARTUP)
        .failFast("socket exited", () -> !serve.isAlive())
        .until(
            () ->
                slack.calls("/api/apps.connections.open").size() >= 2
                    && Files.readString(ServeProcess.log(dir))
                        .contains("Slack is unreachable for Socket Mode"));
    assertThat(serve.isAlive()).as("still running, trying again").isTrue();
    assertThat(Files.readString(ServeProcess.log(dir))).doesNotContain("\tat ");
  }
}
