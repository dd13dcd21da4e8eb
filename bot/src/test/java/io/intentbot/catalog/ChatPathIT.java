package io.intentbot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.bot.chat.InMemoryChat;
import io.intentbot.bot.chat.Reply;
import io.intentbot.engine.model.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy-app, migrate-schema and restore-app through the chat command flow Slack uses (command
 * parsing, replies, approval in the thread), on the real catalogue and the mock cluster.
 */
class ChatPathIT {

  @TempDir Path root;
  private CatalogFixture catalog;
  private Controllers controllers;
  private InMemoryChat chat;

  @BeforeEach
  void start() throws Exception {
    catalog = new CatalogFixture(root);
    controllers = new Controllers(catalog.admin);
    controllers.veleroLocation();
    chat = new InMemoryChat(catalog.engine);
    catalog.started();
  }

  @AfterEach
  void stop() {
    controllers.close();
    catalog.close();
  }

  @Test
  void deployAppFromChatThreadsTheVersionItComputed() throws Exception {
    Controllers.cleanRepository(root.resolve("repos/web"));
    controllers.readyDeployment("web-sandbox", "web", "registry.test/web:2.3.4");

    Reply reply = chat.push("U_DEV", "deploy-app app=web env=sandbox");

    assertThat(reply.error()).as(reply.text()).isFalse();
    assertThat(catalog.finish(reply.runId()).status()).isEqualTo(RunStatus.SUCCEEDED);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                chat.head(reply.runId()).map(h -> h.state().startsWith("succeeded")).orElse(false));
    assertThat(chat.lines(reply.runId())).anyMatch(l -> l.contains("registry.test/web:2.3.5"));
    assertThat(chat.push("U_DEV", "deploy-app app=web env=sandbox version=two").text())
        .contains("version");
  }

  @Test
  void migrateSchemaInProductionWaitsForAnApproverInTheThread() throws Exception {
    Reply reply = chat.push("U_DEV", "migrate-schema app=web env=production");
    assertThat(reply.error()).as(reply.text()).isFalse();
    String id = reply.runId();
    assertThat(chat.head(id).orElseThrow().awaitingApproval()).isTrue();
    assertThat(chat.push("U_DEV", "approve " + id).text()).contains("cannot approve it yourself");

    assertThat(chat.push("U_ALICE", "approve " + id).error()).isFalse();

    assertThat(catalog.finish(id).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(controllers.all(Controllers.BACKUPS)).hasSize(1);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> chat.lines(id).stream().anyMatch(l -> l.contains("applied 2 - add user name")));
  }

  @Test
  void restoreAppRefusesAnIncompleteBackupInTheReply() {
    controllers.backup(
        "web-half",
        "PartiallyFailed",
        "web-sandbox",
        Map.of("intentbot.io/app", "web", "intentbot.io/environment", "sandbox"));

    Reply reply = chat.push("U_DEV", "restore-app app=web env=sandbox backup=web-half");

    assertThat(reply.error()).isTrue();
    assertThat(reply.text()).contains("backup web-half is PartiallyFailed, not Completed");
    assertThat(controllers.all(Controllers.RESTORES)).isEmpty();
  }
}
