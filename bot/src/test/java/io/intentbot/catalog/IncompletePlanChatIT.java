package io.intentbot.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.bot.chat.InMemoryChat;
import io.intentbot.bot.chat.Reply;
import io.intentbot.engine.model.RunEvent;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real catalogue through the chat command flow when its API server is gone (the mock stopped:
 * connection refused): the dry run answers as an error naming what could not be read and the
 * server, and production asks nobody to approve a plan it could not make.
 */
class IncompletePlanChatIT {

  @TempDir Path root;
  private CatalogFixture catalog;
  private InMemoryChat chat;
  private String server;

  @BeforeEach
  void start() throws Exception {
    catalog = new CatalogFixture(root);
    chat = new InMemoryChat(catalog.engine);
    catalog.started();
    server = catalog.admin.getMasterUrl().toString();
    catalog.server.destroy();
  }

  @AfterEach
  void stop() {
    catalog.close();
  }

  @Test
  void aDryRunWhoseReadsFailIsAnErrorSayingWhatCouldNotBeRead() {
    Reply reply = chat.push("U_DEV", "deploy-app app=web env=sandbox --dry-run");

    assertThat(reply.error()).as(reply.text()).isTrue();
    assertThat(reply.text())
        .contains(
            "This dry run failed: the plan is incomplete: could not read step history"
                + " (kubernetes.rollout-history)")
        .contains("cannot reach the Kubernetes API server " + server)
        .doesNotContain("version = 0.0.1")
        .doesNotContain("previous = 0.0.0");
  }

  @Test
  void productionIsRefusedInsteadOfShowingApproversAGuess() {
    Reply reply = chat.push("U_DEV", "deploy-app app=web env=production");

    assertThat(reply.error()).as(reply.text()).isTrue();
    assertThat(reply.text())
        .startsWith(
            "Refused: deploy-app in production needs approval, but its plan is incomplete, so"
                + " nobody was asked to approve it: could not read step history");
    assertThat(catalog.events).noneMatch(e -> e instanceof RunEvent.ApprovalRequested);
    assertThat(catalog.engine.history("deploy-app", 5)).isEmpty();
  }
}
