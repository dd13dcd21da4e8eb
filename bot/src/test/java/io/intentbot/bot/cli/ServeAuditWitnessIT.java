package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.bot.testing.FakeSlack;
import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.audit.AuditStores;
import io.intentbot.engine.audit.ChainHead;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code intentbot serve} as a real process posts the audit head to {@code slack.audit_channel}.
 */
class ServeAuditWitnessIT {

  private static final String AUDIT_CHANNEL = "C0AUDIT";

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
  void serveWitnessesTheHeadInTheAuditChannel() throws Exception {
    ProcessBuilder builder = ServeProcess.builder(dir, slack);
    Files.writeString(
        dir.resolve("intentbot.yaml"),
        TestIntents.CONFIG + "slack: { audit_channel: " + AUDIT_CHANNEL + " }\n");
    Map<String, String> env = new HashMap<>(builder.environment());
    env.put("USER", "carol");
    StringWriter out = new StringWriter();
    int code =
        IntentbotCommand.execute(
            new String[] {"run", "deploy-app", "app=web", "env=sandbox"},
            env,
            new PrintWriter(out, true),
            new PrintWriter(out, true));
    assertThat(code).as(out.toString()).isZero();
    ChainHead head;
    try (AuditStore audit =
        AuditStores.open(AuditStores.defaultUrl(dir.resolve("data")), null, null)) {
      head = audit.head();
    }
    assertThat(head.seq()).isPositive();

    builder.environment().put("INTENTBOT_LEADER_ELECTION", "database");
    serve = builder.start();

    await().atMost(Duration.ofSeconds(60)).until(() -> !posted().isEmpty() || !serve.isAlive());
    assertThat(serve.isAlive()).as(Files.readString(ServeProcess.log(dir))).isTrue();
    assertThat(posted().get(0))
        .isEqualTo(
            "audit head `"
                + head
                + "`: check the record with `intentbot audit verify --expect-head "
                + head
                + "`");
  }

  private List<String> posted() {
    return slack.okCalls("/api/chat.postMessage").stream()
        .filter(c -> AUDIT_CHANNEL.equals(c.get("channel")))
        .map(c -> c.get("text"))
        .toList();
  }
}
