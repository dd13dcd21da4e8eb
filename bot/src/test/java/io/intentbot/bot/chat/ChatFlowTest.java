package io.intentbot.bot.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command flow through the in-memory chat, on a real engine. */
class ChatFlowTest {

  @TempDir Path dir;
  EngineFixture bed;
  InMemoryChat chat;

  @BeforeEach
  void start() throws Exception {
    bed = TestIntents.engine(dir, group -> group.equals("S0SRE") ? Set.of("U0GROUP") : Set.of());
    bed.build();
    chat = new InMemoryChat(bed.engine());
    bed.started();
  }

  @AfterEach
  void stop() {
    bed.close();
  }

  @Test
  void helpAndDescribeComeFromTheDefinitions() {
    String help = chat.push("alice", "help").text();
    assertThat(help).contains("describe INTENT", "`deploy-app`", "`chatty`", "`status-check`");

    Reply describe = chat.push("alice", "describe deploy-app");
    assertThat(describe.error()).isFalse();
    assertThat(describe.text())
        .contains("Roll a new version")
        .contains("`app` app, required, one of: web, api - which app")
        .contains("`env` environment, required, one of: sandbox, production")
        .contains("`replicas` integer, default `2`, 1..20")
        .contains("`version` string, default `1.0.0`, matching")
        .contains("`production`: 1 approval(s) from @U0APPROVER, @U0OTHER, group S0SRE")
        .contains("--break-glass")
        .doesNotContain("`sandbox`:");
    assertThat(chat.push("alice", "describe status-check").text()).contains("never needs approval");
  }

  @Test
  void unknownIntentSuggestsCloseNames() {
    Reply reply = chat.push("alice", "deploy-ap app=web env=sandbox");
    assertThat(reply.error()).isTrue();
    assertThat(reply.text()).contains("Unknown intent `deploy-ap`", "Did you mean `deploy-app`");
    assertThat(chat.push("alice", "describe chaty").text()).contains("`chatty`");
  }

  @Test
  void invalidParameterIsNamedWithWhatIsAllowed() {
    Reply reply = chat.push("alice", "deploy-app app=nope env=sandbox");
    assertThat(reply.error()).isTrue();
    assertThat(reply.text()).contains("app").contains("nope").contains("one of: web, api");
    assertThat(bed.engine().history(null, 10)).isEmpty();
  }

  @Test
  void sandboxRunThreadsItsSteps() throws Exception {
    Reply reply = chat.push("alice", "deploy-app app=web env=sandbox version=1.2.3");
    assertThat(reply.error()).as(reply.text()).isFalse();
    String id = reply.runId();
    assertThat(bed.engine().awaitFinished(id, Duration.ofSeconds(10)).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> chat.head(id).map(h -> h.state().startsWith("succeeded")).orElse(false));
    assertThat(chat.lines(id))
        .anyMatch(l -> l.contains("step 1/3 `version`"))
        .anyMatch(l -> l.contains("settling"))
        .anyMatch(l -> l.contains("`done` succeeded"))
        .last()
        .asString()
        .startsWith("Run succeeded");
    assertThat(chat.push("alice", "status " + id).text()).contains("succeeded", "settle");
    assertThat(chat.push("alice", "history").text()).contains(id);
  }

  @Test
  void breakGlassIsForTheApproversAndNeedsSomethingToBypass() {
    Reply stranger =
        chat.push("alice", "deploy-app app=web env=production --break-glass \"cleanup\"");
    assertThat(stranger.error()).isTrue();
    assertThat(stranger.text())
        .isEqualTo(
            "Refused: only one of U0APPROVER, U0OTHER or a member of S0SRE may break glass"
                + " in production (environments.production.break_glass); ask one of them to"
                + " approve the run instead");
    Reply sandbox = chat.push("U0OTHER", "deploy-app app=web env=sandbox --break-glass \"x\"");
    assertThat(sandbox.text())
        .isEqualTo(
            "Refused: nothing to bypass: deploy-app in sandbox needs no approval; run it without"
                + " --break-glass");
    assertThat(bed.engine().history(null, 5)).isEmpty();
    assertThat(bed.engine().refusedAttempts(5)).hasSize(2);
  }

  @Test
  void breakGlassRunsNeedReviewUntilAnApproverAcknowledgesThem() throws Exception {
    Reply reply =
        chat.push("U0OTHER", "deploy-app app=web env=production --break-glass \"db down, INC-7\"");
    assertThat(reply.error()).as(reply.text()).isFalse();
    String id = reply.runId();
    assertThat(bed.engine().awaitFinished(id, Duration.ofSeconds(10)).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    assertThat(chat.push("alice", "status " + id).text())
        .contains("Break glass", "db down, INC-7", "needs review", "ack " + id);
    Reply own = chat.push("U0OTHER", "ack " + id);
    assertThat(own.error()).isTrue();
    assertThat(own.text()).contains("cannot acknowledge it yourself");
    Reply ack = chat.push("U0APPROVER", "ack " + id + " checked the incident");
    assertThat(ack.error()).as(ack.text()).isFalse();
    assertThat(ack.text()).contains("acknowledged break-glass run " + id);
    assertThat(chat.push("alice", "status " + id).text())
        .contains("acknowledged by")
        .doesNotContain("needs review");
    assertThat(chat.push("alice", "ack").text()).contains("usage: ack RUN [note]");
  }

  @Test
  void productionWaitsForAnotherApprover() throws Exception {
    Reply reply = chat.push("alice", "deploy-app app=web env=production");
    String id = reply.runId();
    assertThat(reply.text()).contains("waits for 1 approval(s)", "@U0APPROVER");
    RunHead waiting = chat.head(id).orElseThrow();
    assertThat(waiting.awaitingApproval()).isTrue();
    assertThat(waiting.plan()).contains("version", "settle");

    Reply self = chat.push("alice", "approve " + id);
    assertThat(self.error()).isTrue();
    assertThat(self.text()).contains("cannot approve it yourself", "U0APPROVER");
    Reply stranger = chat.push("mallory", "approve " + id);
    assertThat(stranger.error()).isTrue();
    assertThat(stranger.text()).contains("U0APPROVER");
    assertThat(bed.engine().run(id).orElseThrow().status()).isEqualTo(RunStatus.WAITING_APPROVAL);

    Reply approved = chat.push("U0GROUP", "approve " + id);
    assertThat(approved.error()).as(approved.text()).isFalse();
    assertThat(bed.engine().awaitFinished(id, Duration.ofSeconds(10)).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                chat.head(id)
                    .map(h -> !h.awaitingApproval() && h.state().startsWith("succeeded"))
                    .orElse(false));
    assertThat(chat.head(id).orElseThrow().approvedBy()).containsExactly("U0GROUP");
    assertThat(chat.lines(id)).anyMatch(l -> l.contains("Approved by @U0GROUP"));
  }

  @Test
  void twoRequiredApprovalsShowInTheOrderRecordedAndLaterOnesAreRefused() throws Exception {
    bed.close();
    bed =
        TestIntents.engine(dir.resolve("two"), group -> Set.of())
            .config(TestIntents.CONFIG.replace("required: 1", "required: 2"));
    bed.build();
    chat = new InMemoryChat(bed.engine());
    bed.started();
    String id = chat.push("alice", "deploy-app app=web env=production version=1.2.3").runId();

    assertThat(chat.push("U0APPROVER", "approve " + id).text()).contains("approved (1 of 2)");
    assertThat(chat.push("U0OTHER", "approve " + id).text()).contains("approved by U0OTHER");
    assertThat(bed.engine().awaitFinished(id, Duration.ofSeconds(10)).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    Reply late = chat.push("U0APPROVER", "approve " + id);
    assertThat(late.error()).isTrue();
    assertThat(late.text()).contains("already approved by U0APPROVER, U0OTHER (succeeded)");

    assertThat(chat.lines(id).stream().filter(l -> l.startsWith("Approved by")))
        .containsExactly("Approved by @U0APPROVER (1 of 2)", "Approved by @U0OTHER (2 of 2)");
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> chat.head(id).map(h -> h.state().startsWith("succeeded")).orElse(false));
    assertThat(chat.head(id).orElseThrow().text(Mentions.PLAIN))
        .contains("approved by @U0APPROVER, @U0OTHER");
  }

  @Test
  void breakGlassRunsAtOnceAndSaysSoLoudly() throws Exception {
    Reply reply =
        chat.push("U0OTHER", "deploy-app app=web env=production --break-glass \"site down\"");
    assertThat(reply.error()).as(reply.text()).isFalse();
    String id = reply.runId();
    bed.engine().awaitFinished(id, Duration.ofSeconds(10));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> chat.lines(id).stream().anyMatch(l -> l.startsWith("BREAK GLASS")));
    assertThat(chat.lines(id))
        .filteredOn(l -> l.startsWith("BREAK GLASS"))
        .singleElement()
        .asString()
        .contains("site down", "@U0APPROVER");
    assertThat(chat.head(id).orElseThrow().breakGlass()).isEqualTo("site down");
  }

  @Test
  void rejectEndsTheWait() {
    String id = chat.push("alice", "deploy-app app=web env=production").runId();
    Reply rejected = chat.push("U0OTHER", "reject " + id + " not today");
    assertThat(rejected.error()).as(rejected.text()).isFalse();
    assertThat(bed.engine().run(id).orElseThrow().status()).isEqualTo(RunStatus.REJECTED);
    assertThat(chat.lines(id)).anyMatch(l -> l.contains("rejected by U0OTHER: not today"));
    assertThat(chat.head(id).orElseThrow().awaitingApproval()).isFalse();
  }
}
