package io.intentbot.bot.chat;

import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.definition.ParameterDefinition;
import io.intentbot.engine.definition.Risk;
import java.util.ArrayList;
import java.util.List;

/** Help, the intent list and {@code describe}, generated from the intent definitions and config. */
public final class IntentHelp {

  private final IntentCatalog catalog;
  private final IntentbotConfig config;
  private final Mentions mentions;

  public IntentHelp(IntentCatalog catalog, IntentbotConfig config, Mentions mentions) {
    this.catalog = catalog;
    this.config = config;
    this.mentions = mentions;
  }

  public String help() {
    StringBuilder out = new StringBuilder();
    out.append("*intentbot* - type one of these after `/intent`:\n")
        .append("`INTENT key=value ... [--dry-run] [--break-glass \"reason\"]`  run an intent\n")
        .append("`list`  the intents\n")
        .append("`describe INTENT`  parameters, defaults, allowed values, approvals\n")
        .append("`history [INTENT]`  recent runs\n")
        .append("`status RUN`  where a run is\n")
        .append("`cancel RUN` · `approve RUN` · `reject RUN [reason]`\n")
        .append("`ack RUN [note]`  acknowledge a break-glass run afterwards (approvers)\n")
        .append("Quote values with blanks: `message=\"a b\"`.\n\n");
    out.append(list());
    return out.toString();
  }

  public String list() {
    List<IntentDefinition> all = catalog.all();
    if (all.isEmpty()) {
      return "No intents are loaded.";
    }
    StringBuilder out = new StringBuilder("*Intents*\n");
    for (IntentDefinition intent : all) {
      out.append("• `").append(intent.name()).append("` ");
      if (intent.risk() != Risk.READ_ONLY) {
        out.append('(').append(intent.risk().label()).append(") ");
      }
      out.append(nullToEmpty(intent.description())).append('\n');
    }
    return out.toString().stripTrailing();
  }

  /** {@code describe INTENT}; suggests close names when the intent is unknown. */
  public Reply describe(String name) {
    return catalog
        .find(name)
        .map(intent -> Reply.info(describe(intent)))
        .orElseGet(() -> Reply.error(unknownIntent(name)));
  }

  public String unknownIntent(String name) {
    List<String> close = catalog.closest(name, 3);
    String text = "Unknown intent `" + name + "`.";
    if (!close.isEmpty()) {
      text +=
          " Did you mean "
              + String.join(", ", close.stream().map(c -> "`" + c + "`").toList())
              + "?";
    }
    return text + " Type `list` for all intents.";
  }

  public String describe(IntentDefinition intent) {
    StringBuilder out = new StringBuilder();
    out.append('*').append(intent.name()).append("* - ").append(nullToEmpty(intent.description()));
    out.append("\nRisk: ").append(intent.risk().label()).append('\n');
    if (intent.parameters().isEmpty()) {
      out.append("No parameters.\n");
    } else {
      out.append("*Parameters*\n");
      intent.parameters().forEach(p -> out.append(parameterLine(p)).append('\n'));
    }
    out.append(approvalText(intent));
    if (intent.readOnlyIf() != null) {
      out.append("Read-only, so never waiting for approval, when `")
          .append(intent.readOnlyIf().replace("${{", "").replace("}}", "").trim())
          .append("`.\n");
    }
    out.append("\nUsage: `/intent ").append(intent.name());
    for (ParameterDefinition p : intent.parameters()) {
      out.append(p.required() ? " " : " [").append(p.name()).append('=').append(placeholder(p));
      out.append(p.required() ? "" : "]");
    }
    out.append(" [--dry-run]`");
    return out.toString();
  }

  /** One line per parameter: name, type, required or default, allowed values, description. */
  public String parameterLine(ParameterDefinition p) {
    StringBuilder line = new StringBuilder("• `").append(p.name()).append("` ");
    line.append(p.type().label());
    if (p.required()) {
      line.append(", required");
    } else if (p.defaultText() != null) {
      line.append(", default `").append(p.defaultText()).append('`');
    } else {
      line.append(", optional");
    }
    List<String> allowed = allowedValues(p);
    if (!allowed.isEmpty()) {
      line.append(", one of: ").append(String.join(", ", allowed));
    }
    if (p.pattern() != null) {
      line.append(", matching `").append(p.pattern()).append('`');
    }
    if (p.min() != null || p.max() != null) {
      line.append(", ")
          .append(p.min() == null ? "…" : p.min())
          .append("..")
          .append(p.max() == null ? "…" : p.max());
    }
    if (p.secret()) {
      line.append(", secret");
    }
    if (p.description() != null && !p.description().isBlank()) {
      line.append(" - ").append(p.description());
    }
    return line.toString();
  }

  /** The values a parameter accepts, when it is a closed set (enum, app, environment, boolean). */
  public List<String> allowedValues(ParameterDefinition p) {
    return switch (p.type()) {
      case ENUM -> p.values();
      case APP -> config.apps();
      case ENVIRONMENT -> List.copyOf(config.environments().keySet());
      case BOOLEAN -> List.of("true", "false");
      default -> List.of();
    };
  }

  private String approvalText(IntentDefinition intent) {
    if (intent.risk() == Risk.READ_ONLY) {
      return "Read-only: never needs approval.\n";
    }
    if (intent.environmentParameter().isEmpty()) {
      return "";
    }
    List<String> lines = new ArrayList<>();
    for (EnvironmentConfig env : config.environments().values()) {
      if (env.isProtected()) {
        String line =
            "• `"
                + env.name()
                + "`: "
                + env.approval().required()
                + " approval(s) from "
                + mentions.approvers(env.approval())
                + (env.approval().selfApproval() ? ", self-approval allowed" : "")
                + ", expires after "
                + io.intentbot.engine.text.Durations.format(env.approval().expiresAfter());
        if (env.breakGlass()) {
          line += ", `--break-glass \"reason\"` allowed";
        }
        lines.add(line);
      }
    }
    if (lines.isEmpty()) {
      return "No environment needs approval.\n";
    }
    return "*Needs approval in*\n" + String.join("\n", lines) + "\n";
  }

  private String placeholder(ParameterDefinition p) {
    List<String> allowed = allowedValues(p);
    if (!allowed.isEmpty() && allowed.size() <= 4) {
      return String.join("|", allowed);
    }
    return p.type().label().toUpperCase(java.util.Locale.ROOT);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
