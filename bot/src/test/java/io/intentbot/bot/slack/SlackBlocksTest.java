package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.intentbot.bot.chat.RunHead;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlackBlocksTest {

  static RunRecord run() {
    return new RunRecord(
        "r-abc",
        "deploy-app",
        Map.of("app", "web", "env", "production"),
        "U0ALICE",
        "production",
        "web",
        RunStatus.WAITING_APPROVAL,
        false,
        "hash",
        null,
        Instant.now(),
        null,
        null,
        Map.of(),
        null,
        Map.of("source", "slack", "channel", "C1"));
  }

  @Test
  void approvalCardKeepsWithinSlackLimits() throws Exception {
    String hugePlan = "step line\n".repeat(2000);
    RunHead head =
        new RunHead(
            run(),
            "waiting for approval (0 of 1)",
            hugePlan,
            true,
            "<@U0APPROVER>",
            List.of(),
            null);
    JsonNode blocks = new ObjectMapper().readTree(SlackBlocks.head(head));
    assertThat(blocks.size()).isLessThanOrEqualTo(50);
    for (JsonNode block : blocks) {
      if (block.path("type").asText().equals("section")) {
        assertThat(block.path("text").path("text").asText().length()).isLessThanOrEqualTo(3000);
      }
    }
    JsonNode actions = blocks.get(blocks.size() - 1);
    assertThat(actions.path("elements").get(0).path("action_id").asText())
        .isEqualTo("intent_approve");
    assertThat(actions.path("elements").get(0).path("value").asText()).isEqualTo("r-abc");
    assertThat(actions.path("elements").get(1).path("action_id").asText())
        .isEqualTo("intent_reject");
    assertThat(blocks.toString())
        .contains("<@U0ALICE>", "app=web", "env=production", "`production`");
  }

  @Test
  void parametersAndReasonsAreEscapedOnTheCardAndItsFallback() throws Exception {
    RunRecord evil =
        new RunRecord(
            "r-evil",
            "deploy-app",
            Map.of("version", SlackTextTest.EVIL),
            "U0ALICE",
            "production",
            "web",
            RunStatus.WAITING_APPROVAL,
            false,
            "hash",
            null,
            Instant.now(),
            null,
            null,
            Map.of(),
            null,
            Map.of("source", "slack", "channel", "C1"));
    RunHead head =
        new RunHead(
            evil,
            "waiting for approval (0 of 1)",
            "set image " + SlackTextTest.EVIL,
            true,
            SlackText.MENTIONS.user("U0APPROVER"),
            List.of(),
            "<!here> now");
    String blocks = SlackBlocks.head(head, true);
    String fallback = SlackBlocks.fallback(head);
    for (String text : List.of(blocks, fallback)) {
      assertThat(text)
          .doesNotContain("<!channel>", "<https://", "<!here>")
          .contains("&lt;!channel&gt;", "<@U0ALICE>");
    }
    assertThat(blocks).contains("<@U0APPROVER>", "\"confirm\"");
    assertThat(SlackLimits.problems("chat.postMessage", Map.of("text", fallback, "blocks", blocks)))
        .isEmpty();
  }

  @Test
  void theButtonsBlockIdChangesWithTheCard() throws Exception {
    RunHead waiting =
        new RunHead(run(), "waiting for approval (0 of 2)", "p", true, null, List.of(), null);
    RunHead oneMore =
        new RunHead(
            run(), "waiting for approval (1 of 2)", "p", true, null, List.of("U0BOB"), null);
    ObjectMapper json = new ObjectMapper();
    String first = json.readTree(SlackBlocks.head(waiting)).get(2).path("block_id").asText();
    String second = json.readTree(SlackBlocks.head(oneMore)).get(2).path("block_id").asText();
    assertThat(first).startsWith("approval-").isNotEqualTo(second);
  }

  @Test
  void finishedRunHasNoButtons() {
    RunHead head =
        new RunHead(run(), "succeeded in 2s", null, false, null, List.of("U0APPROVER"), null);
    assertThat(SlackBlocks.head(head))
        .doesNotContain("intent_approve")
        .contains("Approved by <@U0APPROVER>");
  }

  @Test
  void outputLinesArePreformattedAndNotesAreProse() {
    String text =
        ThreadLines.render(
            List.of(
                new OutboxStore.Message(1, "r", "C", OutboxStore.Kind.NOTE, "▶ step 1", null, 0),
                new OutboxStore.Message(2, "r", "C", OutboxStore.Kind.OUTPUT, "a", null, 0),
                new OutboxStore.Message(3, "r", "C", OutboxStore.Kind.OUTPUT, "b ``` c", null, 0),
                new OutboxStore.Message(4, "r", "C", OutboxStore.Kind.NOTE, "✔ done", null, 0)));
    assertThat(text).isEqualTo("▶ step 1\n```\na\nb ''' c\n```\n✔ done");
  }
}
