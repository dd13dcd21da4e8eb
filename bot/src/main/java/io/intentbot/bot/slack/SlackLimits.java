package io.intentbot.bot.slack;

import com.fasterxml.jackson.databind.JsonNode;
import io.intentbot.engine.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Slack's documented limits for what intentbot sends, in one place: {@link #cut} shortens a field
 * with a visible marker, {@link #problems} checks a whole call (the tests run it over every request
 * the fake Slack receives).
 *
 * <p>Limits: a message's {@code text} at most {@value #MESSAGE_TEXT} characters, {@value
 * #FALLBACK_TEXT} when it is the fallback of blocks or an update; {@value #MESSAGE_BLOCKS} blocks
 * per message, {@value #MODAL_BLOCKS} per modal; section text {@value #SECTION_TEXT}, header
 * {@value #HEADER_TEXT}; button text {@value #BUTTON_TEXT}, value {@value #BUTTON_VALUE}; option
 * text {@value #OPTION_TEXT}, value {@value #OPTION_VALUE}, 1 to {@value #SELECT_OPTIONS} options;
 * placeholder {@value #PLACEHOLDER}; label and hint {@value #LABEL}; modal title, submit and close
 * {@value #MODAL_TITLE}; {@code private_metadata} {@value #PRIVATE_METADATA}; {@code block_id} and
 * {@code action_id} {@value #ID}, unique block ids; confirm dialogs' title {@value #CONFIRM_TITLE},
 * text {@value #CONFIRM_TEXT}, buttons {@value #CONFIRM_BUTTON}.
 */
public final class SlackLimits {

  public static final int MESSAGE_TEXT = 40_000;
  public static final int FALLBACK_TEXT = 4_000;
  public static final int MESSAGE_BLOCKS = 50;
  public static final int MODAL_BLOCKS = 100;
  public static final int SECTION_TEXT = 3_000;
  public static final int HEADER_TEXT = 150;
  public static final int BUTTON_TEXT = 75;
  public static final int BUTTON_VALUE = 2_000;
  public static final int OPTION_TEXT = 75;
  public static final int OPTION_VALUE = 150;
  public static final int SELECT_OPTIONS = 100;
  public static final int PLACEHOLDER = 150;
  public static final int LABEL = 2_000;
  public static final int MODAL_TITLE = 24;
  public static final int PRIVATE_METADATA = 3_000;
  public static final int ID = 255;
  public static final int CONFIRM_TITLE = 100;
  public static final int CONFIRM_TEXT = 300;
  public static final int CONFIRM_BUTTON = 30;

  /** What a cut leaves at its end. */
  public static final String MARKER = "… (cut)";

  private SlackLimits() {}

  /**
   * {@code text} (mrkdwn, already escaped) in at most {@code max} characters: cut with {@link
   * #MARKER}, never inside an entity ({@code &amp;}) or a mention, a code block left open closed.
   */
  public static String cut(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    String close = "\n```";
    int keep = Math.max(0, max - MARKER.length() - close.length() - 1);
    int amp = text.lastIndexOf('&', keep);
    if (amp >= 0 && amp > keep - 6 && text.indexOf(';', amp) >= keep) {
      keep = amp;
    }
    int lt = text.lastIndexOf('<', keep);
    if (lt >= 0 && text.indexOf('>', lt) >= keep) {
      keep = lt;
    }
    if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    String kept = text.substring(0, keep);
    int fences = 0;
    for (int i = kept.indexOf("```"); i >= 0; i = kept.indexOf("```", i + 3)) {
      fences++;
    }
    return fences % 2 == 1 ? kept + close + "\n" + MARKER : kept + MARKER;
  }

  /** Plain text (labels, options, buttons) in at most {@code max} characters, marked "…". */
  public static String cutPlain(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    int keep = Math.max(0, max - 1);
    if (keep > 0 && Character.isHighSurrogate(text.charAt(keep - 1))) {
      keep--;
    }
    return text.substring(0, keep) + "…";
  }

  /**
   * What is over Slack's limits in a call to {@code method} with these form fields ({@code text},
   * {@code blocks}, {@code view}, ...; a JSON body, as response URLs get, under the key {@code
   * json}); empty when the call is within them.
   */
  public static List<String> problems(String method, Map<String, String> form) {
    List<String> problems = new ArrayList<>();
    JsonNode json = null;
    if (form.containsKey("json")) {
      json = parse(form.get("json"), "body", problems);
    }
    String text = json != null ? json.path("text").asText(null) : form.get("text");
    String blocks = form.get("blocks");
    JsonNode blockNodes =
        json != null && json.has("blocks")
            ? json.get("blocks")
            : blocks == null ? null : parse(blocks, "blocks", problems);
    if (text != null) {
      boolean fallback = blockNodes != null || method.equals("chat.update");
      int max = fallback ? FALLBACK_TEXT : MESSAGE_TEXT;
      if (text.length() > max) {
        problems.add(method + ": text has " + text.length() + " characters (max " + max + ")");
      }
    }
    if (blockNodes != null) {
      blocks(method, blockNodes, MESSAGE_BLOCKS, problems);
    }
    if (form.containsKey("view")) {
      JsonNode view = parse(form.get("view"), "view", problems);
      if (view != null) {
        view(method, view, problems);
      }
    }
    return problems;
  }

  private static JsonNode parse(String text, String what, List<String> problems) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      problems.add(what + " is not JSON");
      return null;
    }
  }

  private static void view(String method, JsonNode view, List<String> problems) {
    String where = method + " view";
    max(where + " title", view.path("title").path("text"), MODAL_TITLE, problems);
    max(where + " submit", view.path("submit").path("text"), MODAL_TITLE, problems);
    max(where + " close", view.path("close").path("text"), MODAL_TITLE, problems);
    max(where + " private_metadata", view.path("private_metadata"), PRIVATE_METADATA, problems);
    max(where + " callback_id", view.path("callback_id"), ID, problems);
    blocks(where, view.path("blocks"), MODAL_BLOCKS, problems);
  }

  private static void blocks(String where, JsonNode blocks, int maxBlocks, List<String> problems) {
    if (!blocks.isArray()) {
      problems.add(where + ": blocks is not an array");
      return;
    }
    if (blocks.size() > maxBlocks) {
      problems.add(where + ": " + blocks.size() + " blocks (max " + maxBlocks + ")");
    }
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (JsonNode block : blocks) {
      String type = block.path("type").asText();
      String at = where + " " + type;
      if (block.has("block_id")) {
        max(at + " block_id", block.get("block_id"), ID, problems);
        if (!ids.add(block.get("block_id").asText())) {
          problems.add(at + ": block_id " + block.get("block_id").asText() + " is not unique");
        }
      }
      switch (type) {
        case "section" -> {
          max(at + " text", block.path("text").path("text"), SECTION_TEXT, problems);
          if (block.has("accessory")) {
            element(at, block.get("accessory"), problems);
          }
        }
        case "header" -> max(at + " text", block.path("text").path("text"), HEADER_TEXT, problems);
        case "context" -> {
          if (block.path("elements").size() > 10) {
            problems.add(at + ": more than 10 elements");
          }
          for (JsonNode e : block.path("elements")) {
            max(at + " element", e.path("text"), SECTION_TEXT, problems);
          }
        }
        case "actions" -> {
          if (block.path("elements").size() > 25) {
            problems.add(at + ": more than 25 elements");
          }
          for (JsonNode e : block.path("elements")) {
            element(at, e, problems);
          }
        }
        case "input" -> {
          max(at + " label", block.path("label").path("text"), LABEL, problems);
          max(at + " hint", block.path("hint").path("text"), LABEL, problems);
          element(at, block.path("element"), problems);
        }
        default -> {}
      }
    }
  }

  private static void element(String where, JsonNode e, List<String> problems) {
    String type = e.path("type").asText();
    String at = where + " " + type;
    max(at + " action_id", e.path("action_id"), ID, problems);
    max(at + " placeholder", e.path("placeholder").path("text"), PLACEHOLDER, problems);
    if (type.equals("button")) {
      max(at + " text", e.path("text").path("text"), BUTTON_TEXT, problems);
      max(at + " value", e.path("value"), BUTTON_VALUE, problems);
    }
    if (type.endsWith("_select") || type.equals("checkboxes") || type.equals("radio_buttons")) {
      JsonNode options = e.path("options");
      if (type.equals("static_select") || type.equals("checkboxes")) {
        if (!options.isArray() || options.isEmpty()) {
          problems.add(at + ": no options");
        }
      }
      int maxOptions = type.equals("checkboxes") ? 10 : SELECT_OPTIONS;
      if (options.size() > maxOptions) {
        problems.add(at + ": " + options.size() + " options (max " + maxOptions + ")");
      }
      for (JsonNode o : options) {
        max(at + " option text", o.path("text").path("text"), OPTION_TEXT, problems);
        max(at + " option value", o.path("value"), OPTION_VALUE, problems);
      }
    }
    JsonNode confirm = e.path("confirm");
    if (!confirm.isMissingNode()) {
      max(at + " confirm title", confirm.path("title").path("text"), CONFIRM_TITLE, problems);
      max(at + " confirm text", confirm.path("text").path("text"), CONFIRM_TEXT, problems);
      max(at + " confirm button", confirm.path("confirm").path("text"), CONFIRM_BUTTON, problems);
      max(at + " deny button", confirm.path("deny").path("text"), CONFIRM_BUTTON, problems);
    }
  }

  private static void max(String what, JsonNode node, int max, List<String> problems) {
    if (node != null && node.isTextual() && node.asText().length() > max) {
      problems.add(what + " has " + node.asText().length() + " characters (max " + max + ")");
    }
  }
}
