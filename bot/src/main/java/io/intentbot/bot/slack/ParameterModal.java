package io.intentbot.bot.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.slack.api.model.view.ViewState;
import io.intentbot.bot.chat.IntentHelp;
import io.intentbot.bot.chat.RunText;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.definition.ParameterDefinition;
import io.intentbot.engine.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The modal that asks for an intent's parameters when {@code /intent INTENT} leaves required ones
 * out: select menus for apps, environments and enums, number inputs for integers, a checkbox for
 * booleans, the description as hint, and the values already typed filled in. {@link #read} turns a
 * submission back into the {@code key=value} arguments, or inline errors per block.
 */
public final class ParameterModal {

  public static final String CALLBACK_ID = "intent_run";
  static final String BLOCK_PREFIX = "p_";
  static final String ACTION_ID = "value";
  private static final ObjectMapper JSON = Json.MAPPER;

  /**
   * What the modal remembers between opening and submit (its {@code private_metadata}, at most
   * 3,000 characters): the intent, where it was asked, {@code --dry-run}, the {@code --break-glass}
   * reason (or null) and the slash command's {@code response_url} for the answer (or null).
   */
  public record Metadata(
      String intent, String channel, boolean dryRun, String breakGlass, String responseUrl) {
    public Metadata(String intent, String channel, boolean dryRun) {
      this(intent, channel, dryRun, null, null);
    }
  }

  /** The longest break-glass reason kept in the metadata (the rest is cut, marked). */
  static final int MAX_REASON = 1500;

  /** A submission read back: arguments when valid, errors by block id otherwise. */
  public record Submitted(List<String> arguments, Map<String, String> errors) {
    public boolean valid() {
      return errors.isEmpty();
    }
  }

  private final IntentHelp help;

  public ParameterModal(IntentHelp help) {
    this.help = help;
  }

  /** The view JSON for {@code views.open}. */
  public String view(IntentDefinition intent, Map<String, String> given, Metadata metadata) {
    ObjectNode view = JSON.createObjectNode();
    view.put("type", "modal").put("callback_id", CALLBACK_ID);
    view.put("private_metadata", metadataJson(metadata));
    plain(view.putObject("title"), SlackLimits.cutPlain(intent.name(), SlackLimits.MODAL_TITLE));
    plain(
        view.putObject("submit"),
        metadata.dryRun() ? "Dry run" : metadata.breakGlass() != null ? "Break glass" : "Run");
    plain(view.putObject("close"), "Cancel");
    ArrayNode blocks = view.putArray("blocks");
    if (intent.description() != null) {
      ObjectNode section = blocks.addObject().put("type", "section");
      section
          .putObject("text")
          .put("type", "mrkdwn")
          .put(
              "text",
              SlackLimits.cut(SlackText.mrkdwn(intent.description()), SlackLimits.SECTION_TEXT));
    }
    for (ParameterDefinition p : intent.parameters()) {
      if (blocks.size() >= SlackLimits.MODAL_BLOCKS) {
        break;
      }
      blocks.add(input(p, given.get(p.name())));
    }
    return view.toString();
  }

  private ObjectNode input(ParameterDefinition p, String given) {
    ObjectNode block = JSON.createObjectNode();
    block.put("type", "input").put("block_id", BLOCK_PREFIX + p.name());
    block.put(
        "optional",
        !p.required() || p.type() == io.intentbot.engine.definition.ParameterType.BOOLEAN);
    plain(block.putObject("label"), RunText.cut(p.name(), 2000));
    String hint = hint(p);
    if (!hint.isBlank()) {
      plain(block.putObject("hint"), RunText.cut(hint, 2000));
    }
    String initial =
        given != null ? given : p.defaultValue() == null ? null : String.valueOf(p.defaultValue());
    ObjectNode element = block.putObject("element");
    element.put("action_id", ACTION_ID);
    switch (p.type()) {
      case APP, ENVIRONMENT, ENUM -> {
        List<String> values = help.allowedValues(p);
        if (values.isEmpty()
            || values.size() > SlackLimits.SELECT_OPTIONS
            || values.stream().anyMatch(v -> v.length() > SlackLimits.OPTION_VALUE)) {
          // Slack refuses a select without options or with values over its limits: type it
          element.put("type", "plain_text_input");
          if (initial != null) {
            element.put("initial_value", initial);
          }
          break;
        }
        element.put("type", "static_select");
        plain(
            element.putObject("placeholder"),
            SlackLimits.cutPlain("Choose " + p.name(), SlackLimits.PLACEHOLDER));
        ArrayNode options = element.putArray("options");
        for (String value : help.allowedValues(p).stream().limit(100).toList()) {
          ObjectNode option = option(value);
          options.add(option);
          if (value.equals(initial)) {
            element.set("initial_option", option.deepCopy());
          }
        }
      }
      case INTEGER -> {
        element.put("type", "number_input").put("is_decimal_allowed", false);
        if (p.min() != null) {
          element.put("min_value", String.valueOf(p.min()));
        }
        if (p.max() != null) {
          element.put("max_value", String.valueOf(p.max()));
        }
        if (initial != null) {
          element.put("initial_value", initial);
        }
      }
      case BOOLEAN -> {
        element.put("type", "checkboxes");
        ObjectNode option = option("true");
        plain(option.putObject("text"), "yes");
        element.putArray("options").add(option);
        if ("true".equalsIgnoreCase(initial)) {
          element.putArray("initial_options").add(option.deepCopy());
        }
      }
      default -> {
        element.put("type", "plain_text_input");
        if (initial != null) {
          element.put("initial_value", initial);
        }
      }
    }
    return block;
  }

  private String hint(ParameterDefinition p) {
    StringBuilder hint = new StringBuilder(p.description() == null ? "" : p.description());
    if (p.pattern() != null) {
      hint.append(hint.length() > 0 ? " " : "").append("(format: ").append(p.pattern()).append(')');
    }
    if (!p.required() && p.defaultText() != null && p.defaultValue() == null) {
      hint.append(hint.length() > 0 ? " " : "")
          .append("(default: ")
          .append(p.defaultText())
          .append(')');
    }
    return hint.toString();
  }

  /** Reads a submission: every filled field becomes {@code name=value}; checks what it can. */
  public Submitted read(IntentDefinition intent, Map<String, Map<String, ViewState.Value>> state) {
    List<String> arguments = new ArrayList<>();
    Map<String, String> errors = new LinkedHashMap<>();
    for (ParameterDefinition p : intent.parameters()) {
      String blockId = BLOCK_PREFIX + p.name();
      ViewState.Value value =
          state == null || state.get(blockId) == null ? null : state.get(blockId).get(ACTION_ID);
      String text = text(p, value);
      if (text == null || text.isBlank()) {
        if (p.required()) {
          errors.put(blockId, p.name() + " is required");
        }
        continue;
      }
      String problem = check(p, text.strip());
      if (problem != null) {
        errors.put(blockId, problem);
      } else {
        arguments.add(p.name() + "=" + text.strip());
      }
    }
    return new Submitted(arguments, errors);
  }

  private static String text(ParameterDefinition p, ViewState.Value value) {
    if (value == null) {
      return p.type() == io.intentbot.engine.definition.ParameterType.BOOLEAN ? "false" : null;
    }
    if (value.getSelectedOption() != null) {
      return value.getSelectedOption().getValue();
    }
    if (p.type() == io.intentbot.engine.definition.ParameterType.BOOLEAN) {
      return value.getSelectedOptions() != null && !value.getSelectedOptions().isEmpty()
          ? "true"
          : "false";
    }
    return value.getValue();
  }

  private String check(ParameterDefinition p, String text) {
    switch (p.type()) {
      case INTEGER -> {
        long n;
        try {
          n = Long.parseLong(text);
        } catch (NumberFormatException e) {
          return p.name() + " must be a whole number";
        }
        if (p.min() != null && n < p.min() || p.max() != null && n > p.max()) {
          return p.name()
              + " must be between "
              + (p.min() == null ? "…" : p.min())
              + " and "
              + (p.max() == null ? "…" : p.max());
        }
      }
      case APP, ENVIRONMENT, ENUM -> {
        List<String> allowed = help.allowedValues(p);
        if (!allowed.contains(text)) {
          return p.name() + " must be one of " + String.join(", ", allowed);
        }
      }
      default -> {
        if (p.pattern() != null) {
          try {
            if (!Pattern.compile(p.pattern()).matcher(text).matches()) {
              return p.name() + " must match " + p.pattern();
            }
          } catch (PatternSyntaxException e) {
            return null;
          }
        }
      }
    }
    return null;
  }

  /**
   * The errors answer for a submit whose intent was removed meanwhile: the message on the view's
   * first input (Slack shows errors only under an input block that is in the view).
   */
  public static Map<String, String> gone(String intent, ViewState state) {
    String block =
        state == null || state.getValues() == null || state.getValues().isEmpty()
            ? BLOCK_PREFIX + "intent"
            : state.getValues().keySet().iterator().next();
    return Map.of(
        block,
        SlackLimits.cutPlain(
            "The intent " + intent + " no longer exists; close this form and type `list`.", 150));
  }

  public static String metadataJson(Metadata m) {
    ObjectNode node = JSON.createObjectNode();
    node.put("intent", m.intent()).put("channel", m.channel()).put("dry_run", m.dryRun());
    if (m.breakGlass() != null) {
      node.put("break_glass", SlackLimits.cutPlain(m.breakGlass(), MAX_REASON));
    }
    if (m.responseUrl() != null && m.responseUrl().length() < 1000) {
      node.put("response_url", m.responseUrl());
    }
    return node.toString();
  }

  public static Metadata metadata(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      return new Metadata(
          node.path("intent").asText(),
          node.path("channel").asText(null),
          node.path("dry_run").asBoolean(),
          node.path("break_glass").asText(null),
          node.path("response_url").asText(null));
    } catch (Exception e) {
      return new Metadata("", null, false);
    }
  }

  private static ObjectNode option(String value) {
    ObjectNode option = JSON.createObjectNode();
    plain(option.putObject("text"), SlackLimits.cutPlain(value, SlackLimits.OPTION_TEXT));
    option.put("value", value);
    return option;
  }

  private static void plain(ObjectNode node, String text) {
    node.put("type", "plain_text").put("text", text);
  }
}
