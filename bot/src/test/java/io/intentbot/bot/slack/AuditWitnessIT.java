package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.SlackBed;
import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.Engine;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.audit.ChainHead;
import io.intentbot.engine.config.ConfigLoader;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.Submission;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slack.audit_channel}: each new head of the audit chain reaches the channel through the
 * outbox and the poster, as Slack's Web API (the fake) receives it.
 */
class AuditWitnessIT {

  private static final String AUDIT_CHANNEL = "C0AUDIT";

  @TempDir Path dir;
  private FakeSlack slack;
  private SlackBed bot;

  @BeforeEach
  void start() throws Exception {
    slack = new FakeSlack();
    bot = new SlackBed(slack, dir, AuditStores.defaultUrl(dir.resolve("data"))).start();
  }

  @AfterEach
  void stop() {
    bot.close();
    slack.close();
  }

  @Test
  void eachNewHeadIsPostedToTheAuditChannelOnce() throws Exception {
    Engine engine = bot.bed.engine();
    AuditWitness witness = new AuditWitness(engine.audit()::head, bot.outbox, AUDIT_CHANNEL);
    assertThat(witness.witness()).as("nothing sealed yet").isEmpty();

    runToEnd(engine);
    ChainHead first = engine.audit().head();
    assertThat(witness.witness()).contains(first);
    assertThat(witness.witness()).as("the head did not move").isEmpty();
    runToEnd(engine);
    ChainHead second = engine.audit().head();
    assertThat(witness.witness()).contains(second);

    await().atMost(SlackBed.WAIT).until(() -> posted().size() == 2);
    assertThat(posted())
        .containsExactly(
            "audit head `"
                + first
                + "`: check the record with `intentbot audit verify --expect-head "
                + first
                + "`",
            "audit head `"
                + second
                + "`: check the record with `intentbot audit verify --expect-head "
                + second
                + "`");
    assertThat(slack.limitProblems()).isEmpty();
  }

  @Test
  void serveStartsItWhenConfigNamesTheChannelAndItPostsWhileLeading() throws Exception {
    Engine engine = bot.bed.engine();
    runToEnd(engine);
    assertThat(AuditWitness.start(engine, bot.outbox)).as("no slack.audit_channel").isEmpty();

    try (AutoCloseable running =
        new AuditWitness(engine.audit()::head, bot.outbox, AUDIT_CHANNEL)
            .every(Duration.ofMillis(20), () -> engine.leadership().mayRun(AuditWitness.DUTY))) {
      await().atMost(SlackBed.WAIT).until(() -> posted().size() == 1);
    }
    assertThat(posted().get(0)).contains(engine.audit().head().toString());
  }

  @Test
  void theChannelIsAConfigKeyOfTheSlackSection() {
    var config =
        new ConfigLoader(name -> null)
            .parse(
                TestIntents.CONFIG + "slack: { audit_channel: " + AUDIT_CHANNEL + " }\n",
                "intentbot.yaml");

    assertThat(AuditWitness.channel(config)).contains(AUDIT_CHANNEL);
  }

  private List<String> posted() {
    return bot.accepted("/api/chat.postMessage").stream()
        .filter(c -> AUDIT_CHANNEL.equals(c.get("channel")))
        .map(c -> c.get("text"))
        .toList();
  }

  private static void runToEnd(Engine engine) throws Exception {
    long before = engine.audit().head().seq();
    Submission submission =
        engine.submit(
            RunRequest.of("deploy-app", List.of("app=web", "env=sandbox"), "U0REQ")
                .withOrigin(java.util.Map.of("source", "test")));
    String id = ((Submission.Started) submission).run().id();
    assertThat(engine.awaitFinished(id, Duration.ofSeconds(20))).isPresent();
    await().atMost(SlackBed.WAIT).until(() -> engine.audit().head().seq() > before);
  }
}
