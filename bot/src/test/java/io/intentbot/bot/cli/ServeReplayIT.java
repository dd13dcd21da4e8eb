package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.bot.slack.SlackServer;
import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SignedRequests;
import io.intentbot.bot.testing.SlackBed;
import io.intentbot.engine.testing.EmbeddedPostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code intentbot serve} processes ("replicas") on one PostgreSQL audit database: the same
 * signed bytes sent to both, a retry of the same trigger signed again, and the same bytes after a
 * restart are each acted on once, because the keys of the requests acted on are kept in the
 * database (10 minutes), not in one process's memory.
 */
class ServeReplayIT {

  @RegisterExtension
  static final EmbeddedPostgresExtension postgres = new EmbeddedPostgresExtension();

  private static final String IGNORED = "ignoring a repeated delivery";

  @TempDir Path dir;
  FakeSlack slack = new FakeSlack();
  Process a;
  Process b;

  @AfterEach
  void stop() {
    for (Process p : new Process[] {a, b}) {
      if (p != null) {
        p.destroyForcibly();
      }
    }
    slack.close();
  }

  private Process replica(Path home, String url) throws Exception {
    ProcessBuilder builder = ServeProcess.builder(home, slack);
    builder.environment().put("INTENTBOT_DB_URL", url);
    builder.environment().put("INTENTBOT_LEADER_ELECTION", "database");
    return builder.start();
  }

  private SignedRequests requests(Process serve, Path home) throws Exception {
    int port = ServeProcess.awaitPort(serve, home);
    return new SignedRequests(
        "http://127.0.0.1:" + port + SlackServer.EVENTS_PATH, SlackBed.SECRET, slack);
  }

  private static long ignored(Path home) throws Exception {
    return Files.readString(ServeProcess.log(home))
        .lines()
        .filter(l -> l.contains(IGNORED))
        .count();
  }

  /** The replay check runs after the ack, so its log line may come a little later. */
  private static void awaitIgnored(Path home, long count, String what) {
    await()
        .atMost(SlackBed.WAIT)
        .untilAsserted(() -> assertThat(ignored(home)).as(what).isEqualTo(count));
  }

  @Test
  void theSameSignedRequestIsActedOnOnceAcrossReplicasAndARestart() throws Exception {
    String url = postgres.getJdbcUrl("postgres", postgres.createDatabase("replay"));
    Path homeA = Files.createDirectories(dir.resolve("a"));
    Path homeB = Files.createDirectories(dir.resolve("b"));
    a = replica(homeA, url);
    SignedRequests toA = requests(a, homeA);
    b = replica(homeB, url);
    SignedRequests toB = requests(b, homeB);

    String body =
        toA.commandBody(
            "U0ALICE", SlackBed.CHANNEL, "deploy-app app=web env=sandbox --dry-run", "trig-replay");
    Instant signedAt = Instant.now();
    assertThat(toA.post(body, signedAt, null).statusCode()).isEqualTo(200);
    await()
        .atMost(SlackBed.WAIT)
        .until(() -> !slack.calls("/response/U0ALICE-trig-replay").isEmpty());

    assertThat(toB.post(body, signedAt, null).statusCode()).isEqualTo(200);
    awaitIgnored(homeB, 1, "the same bytes at the other replica");
    assertThat(toB.post(body, signedAt.plusSeconds(1), null).statusCode()).isEqualTo(200);
    awaitIgnored(homeB, 2, "the same trigger signed again (Slack's retry)");

    a.destroy();
    assertThat(a.waitFor(60, TimeUnit.SECONDS)).as("A stopped").isTrue();
    a = replica(homeA, url);
    toA = requests(a, homeA);
    assertThat(toA.post(body, signedAt, null).statusCode()).isEqualTo(200);
    awaitIgnored(homeA, 1, "the same bytes after a restart");

    // A fresh request still works, and by the time its answer is in, the replays have had theirs.
    toA.post(
        toA.commandBody(
            "U0ALICE", SlackBed.CHANNEL, "deploy-app app=web env=sandbox --dry-run", "trig-fresh"),
        Instant.now(),
        null);
    await()
        .atMost(SlackBed.WAIT)
        .until(() -> !slack.calls("/response/U0ALICE-trig-fresh").isEmpty());
    assertThat(slack.calls("/response/U0ALICE-trig-replay")).hasSize(1);
  }
}
