package io.intentbot.bot.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentbot.bot.chat.Mentions;
import io.intentbot.bot.chat.RunHead;
import io.intentbot.bot.chat.RunText;
import io.intentbot.engine.json.Json;

/**
 * Block Kit for a run's top message, within Slack's limits (50 blocks, 3,000 characters per section
 * text, 75 per button label). The approval card carries the buttons {@code intent_approve} and
 * {@code intent_reject} with the run id as value.
 */
public final class SlackBlocks {

  public static final String APPROVE = "intent_approve";
  public static final String REJECT = "intent_reject";
  static final int SECTION_LIMIT = 3000;
  static final int MAX_BLOCKS = 50;

  private static final ObjectMapper JSON = Json.MAPPER;

  private SlackBlocks() {}

  /** The blocks of a run's top message, as a JSON array. */
  public static String head(RunHead head) {
    ArrayNode blocks = JSON.createArrayNode();
    var run = head.run();
    if (head.breakGlass() != null) {
      section(
          blocks,
          ":rotating_light: *BREAK GLASS* by "
              + Mentions.SLACK.user(run.requester())
              + ": "
              + head.breakGlass()
              + (head.approvers() == null ? "" : "\n" + head.approvers() + ": please review."));
    }
    StringBuilder text = new StringBuilder();
    text.append('*').append(run.intent()).append("* ").append(RunText.parameters(run));
    if (run.environment() != null) {
      text.append("\nEnvironment: `").append(run.environment()).append('`');
    }
    text.append("\nRequested by ")
        .append(Mentions.SLACK.user(run.requester()))
        .append(" · run `")
        .append(run.id())
        .append('`');
    text.append("\n*Status:* ").append(head.state());
    if (!head.approvedBy().isEmpty()) {
      text.append("\nApproved by ")
          .append(String.join(", ", head.approvedBy().stream().map(Mentions.SLACK::user).toList()));
    }
    section(blocks, text.toString());
    if (head.awaitingApproval()) {
      if (head.plan() != null) {
        section(blocks, "*Plan*\n```\n" + RunText.cut(head.plan(), SECTION_LIMIT - 20) + "\n```");
      }
      if (head.approvers() != null) {
        ObjectNode context = blocks.addObject().put("type", "context");
        context
            .putArray("elements")
            .addObject()
            .put("type", "mrkdwn")
            .put("text", RunText.cut("May approve: " + head.approvers(), SECTION_LIMIT));
      }
      ObjectNode actions = blocks.addObject().put("type", "actions").put("block_id", "approval");
      ArrayNode elements = actions.putArray("elements");
      button(elements, APPROVE, "Approve", run.id(), "primary");
      button(elements, REJECT, "Reject", run.id(), "danger");
    }
    while (blocks.size() > MAX_BLOCKS) {
      blocks.remove(blocks.size() - 1);
    }
    return blocks.toString();
  }

  private static void section(ArrayNode blocks, String text) {
    ObjectNode section = blocks.addObject().put("type", "section");
    section.putObject("text").put("type", "mrkdwn").put("text", RunText.cut(text, SECTION_LIMIT));
  }

  private static void button(
      ArrayNode elements, String actionId, String label, String value, String style) {
    ObjectNode button = elements.addObject().put("type", "button").put("action_id", actionId);
    button.putObject("text").put("type", "plain_text").put("text", RunText.cut(label, 75));
    button.put("value", value).put("style", style);
  }
}
