package io.intentbot.bot.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.intentbot.bot.chat.Mentions;
import io.intentbot.bot.chat.RunHead;
import io.intentbot.bot.chat.RunText;
import io.intentbot.engine.json.Json;

/**
 * Block Kit for a run's top message, within {@link SlackLimits} (50 blocks, 3,000 characters per
 * section text, 75 per button label), every piece of run text escaped by {@link SlackText}. The
 * approval card carries the buttons {@code intent_approve} and {@code intent_reject} with the run
 * id as value, in an actions block whose {@code block_id} changes with the card's content; with
 * {@code confirm} (protected environments, destructive intents) each button asks to confirm.
 */
public final class SlackBlocks {

  public static final String APPROVE = "intent_approve";
  public static final String REJECT = "intent_reject";
  static final int SECTION_LIMIT = SlackLimits.SECTION_TEXT;
  static final int MAX_BLOCKS = SlackLimits.MESSAGE_BLOCKS;

  private static final ObjectMapper JSON = Json.MAPPER;
  private static final Mentions MENTIONS = SlackText.MENTIONS;

  private SlackBlocks() {}

  /** The blocks of a run's top message, as a JSON array, buttons without confirm dialogs. */
  public static String head(RunHead head) {
    return head(head, false);
  }

  /** The notification text that goes with {@link #head}: escaped, at most 4,000 characters. */
  public static String fallback(RunHead head) {
    var run = head.run();
    StringBuilder out = new StringBuilder();
    if (head.breakGlass() != null) {
      out.append("BREAK GLASS: ")
          .append(SlackLimits.cut(SlackText.mrkdwn(head.breakGlass()), 500))
          .append(" - ");
      if (head.approvers() != null) {
        out.append(SlackText.mrkdwn(head.approvers())).append(" please review. ");
      }
    }
    out.append(SlackText.mrkdwn(run.intent()))
        .append(' ')
        .append(parameters(run))
        .append(" · requested by ")
        .append(SlackText.mrkdwn(MENTIONS.user(run.requester())))
        .append(" · run ")
        .append(SlackText.mrkdwn(run.id()))
        .append(" · ")
        .append(SlackLimits.cut(SlackText.mrkdwn(head.state()), 1000));
    if (!head.approvedBy().isEmpty()) {
      out.append(" · approved by ")
          .append(
              SlackText.mrkdwn(
                  String.join(", ", head.approvedBy().stream().map(MENTIONS::user).toList())));
    }
    return SlackLimits.cut(out.toString(), SlackLimits.FALLBACK_TEXT);
  }

  /** The run's parameters, escaped, cut so that what follows them (the status) stays in view. */
  private static String parameters(io.intentbot.engine.model.RunRecord run) {
    return SlackLimits.cut(SlackText.mrkdwn(RunText.parameters(run)), 1500);
  }

  /**
   * The blocks of a run's top message, as a JSON array; {@code confirm} puts a confirm dialog on
   * Approve and Reject.
   */
  public static String head(RunHead head, boolean confirm) {
    ArrayNode blocks = JSON.createArrayNode();
    var run = head.run();
    if (head.breakGlass() != null) {
      section(
          blocks,
          ":rotating_light: *BREAK GLASS* by "
              + SlackText.mrkdwn(MENTIONS.user(run.requester()))
              + ": "
              + SlackText.mrkdwn(head.breakGlass())
              + (head.approvers() == null
                  ? ""
                  : "\n" + SlackText.mrkdwn(head.approvers()) + ": please review."));
    }
    StringBuilder text = new StringBuilder();
    text.append('*').append(SlackText.mrkdwn(run.intent())).append("* ").append(parameters(run));
    if (run.environment() != null) {
      text.append("\nEnvironment: `").append(SlackText.mrkdwn(run.environment())).append('`');
    }
    text.append("\nRequested by ")
        .append(SlackText.mrkdwn(MENTIONS.user(run.requester())))
        .append(" · run `")
        .append(SlackText.mrkdwn(run.id()))
        .append('`');
    text.append("\n*Status:* ").append(SlackLimits.cut(SlackText.mrkdwn(head.state()), 1000));
    if (!head.approvedBy().isEmpty()) {
      text.append("\nApproved by ")
          .append(
              SlackText.mrkdwn(
                  String.join(", ", head.approvedBy().stream().map(MENTIONS::user).toList())));
    }
    section(blocks, text.toString());
    if (head.awaitingApproval()) {
      if (head.plan() != null) {
        section(
            blocks,
            "*Plan*\n```\n"
                + SlackLimits.cut(
                    SlackText.mrkdwn(head.plan()).replace("```", "\'\'\'"), SECTION_LIMIT - 20)
                + "\n```");
      }
      if (head.approvers() != null) {
        ObjectNode context = blocks.addObject().put("type", "context");
        context
            .putArray("elements")
            .addObject()
            .put("type", "mrkdwn")
            .put(
                "text",
                SlackLimits.cut(
                    "May approve: " + SlackText.mrkdwn(head.approvers()), SECTION_LIMIT));
      }
      ObjectNode actions = blocks.addObject().put("type", "actions");
      ArrayNode elements = actions.putArray("elements");
      button(
          elements, APPROVE, "Approve", run.id(), "primary", confirm ? confirm(run, true) : null);
      button(elements, REJECT, "Reject", run.id(), "danger", confirm ? confirm(run, false) : null);
      actions.put("block_id", "approval-" + Integer.toHexString(blocks.toString().hashCode()));
    }
    while (blocks.size() > MAX_BLOCKS) {
      blocks.remove(blocks.size() - 1);
    }
    return blocks.toString();
  }

  private static ObjectNode confirm(io.intentbot.engine.model.RunRecord run, boolean approve) {
    ObjectNode confirm = JSON.createObjectNode();
    String verb = approve ? "Approve" : "Reject";
    plain(
        confirm.putObject("title"),
        SlackLimits.cutPlain(verb + " run " + run.id() + "?", SlackLimits.CONFIRM_TITLE));
    confirm
        .putObject("text")
        .put("type", "mrkdwn")
        .put(
            "text",
            SlackLimits.cut(
                (approve ? "This starts " : "This stops ")
                    + "*"
                    + SlackText.mrkdwn(run.intent())
                    + "*"
                    + (run.environment() == null
                        ? ""
                        : " in `" + SlackText.mrkdwn(run.environment()) + "`")
                    + ".",
                SlackLimits.CONFIRM_TEXT));
    plain(confirm.putObject("confirm"), verb);
    plain(confirm.putObject("deny"), "Cancel");
    confirm.put("style", approve ? "primary" : "danger");
    return confirm;
  }

  private static void section(ArrayNode blocks, String mrkdwn) {
    ObjectNode section = blocks.addObject().put("type", "section");
    section
        .putObject("text")
        .put("type", "mrkdwn")
        .put("text", SlackLimits.cut(mrkdwn, SECTION_LIMIT));
  }

  private static void plain(ObjectNode node, String text) {
    node.put("type", "plain_text").put("text", text);
  }

  private static void button(
      ArrayNode elements,
      String actionId,
      String label,
      String value,
      String style,
      ObjectNode confirm) {
    ObjectNode button = elements.addObject().put("type", "button").put("action_id", actionId);
    plain(button.putObject("text"), SlackLimits.cutPlain(label, SlackLimits.BUTTON_TEXT));
    button.put("value", value).put("style", style);
    if (confirm != null) {
      button.set("confirm", confirm);
    }
  }
}
