package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SlackLimitsTest {

  @Test
  void cutsAreMarkedAndKeepCodeBlocksAndEntitiesWhole() {
    String text = "```\n" + "a&amp;b ".repeat(1000);
    String cut = SlackLimits.cut(text, 4000);
    assertThat(cut.length()).isLessThanOrEqualTo(4000);
    assertThat(cut).endsWith("```\n" + SlackLimits.MARKER);
    assertThat(cut.replace("&amp;", "")).doesNotContain("&");
    String mention = "x".repeat(3990) + " <@U0APPROVER> tail";
    assertThat(SlackLimits.cut(mention, 4000)).doesNotContain("<@U0");
    assertThat(SlackLimits.cut("short", 4000)).isEqualTo("short");
  }

  @Test
  void findsWhatSlackRefuses() {
    assertThat(SlackLimits.problems("chat.update", Map.of("text", "x".repeat(4001))))
        .singleElement()
        .asString()
        .contains("4001");
    assertThat(SlackLimits.problems("chat.postMessage", Map.of("text", "x".repeat(4001))))
        .isEmpty();
    String blocks =
        "[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\""
            + "y".repeat(3001)
            + "\"}},{\"type\":\"actions\",\"block_id\":\"a\",\"elements\":[{\"type\":\"button\","
            + "\"action_id\":\"b\",\"text\":{\"type\":\"plain_text\",\"text\":\"ok\"},\"value\":\"v\"}]},"
            + "{\"type\":\"actions\",\"block_id\":\"a\",\"elements\":[]}]";
    assertThat(SlackLimits.problems("chat.postMessage", Map.of("text", "t", "blocks", blocks)))
        .hasSize(2)
        .anyMatch(p -> p.contains("section text"))
        .anyMatch(p -> p.contains("not unique"));
    String view =
        "{\"type\":\"modal\",\"title\":{\"type\":\"plain_text\",\"text\":\"x\"},"
            + "\"private_metadata\":\""
            + "m".repeat(3001)
            + "\",\"blocks\":[{\"type\":\"input\",\"block_id\":\"p\",\"label\":{\"type\":\"plain_text\","
            + "\"text\":\"l\"},\"element\":{\"type\":\"static_select\",\"action_id\":\"v\",\"options\":[]}}]}";
    assertThat(SlackLimits.problems("views.open", Map.of("view", view)))
        .hasSize(2)
        .anyMatch(p -> p.contains("private_metadata"))
        .anyMatch(p -> p.contains("no options"));
  }
}
