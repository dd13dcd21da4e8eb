package io.intentbot.bot.chat;

import io.intentbot.engine.access.AccessPolicy;
import io.intentbot.engine.access.FreezeCalendar;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.definition.IntentDefinition;
import io.intentbot.engine.definition.ParameterDefinition;
import io.intentbot.engine.definition.Risk;
import io.intentbot.engine.model.Actor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Help, the intent list and {@code describe}, generated from the intent definitions and config. */
public final class IntentHelp {

  private final IntentCatalog catalog;
  private final IntentbotConfig config;
  private final Mentions mentions;
  private final AccessPolicy access;
  private final Clock clock;

  /** Help for everyone: every intent, as without {@code access:} rules. */
  public IntentHelp(IntentCatalog catalog, IntentbotConfig config, Mentions mentions) {
    this(catalog, config, mentions, new AccessPolicy(IntentbotConfig.empty(), g -> Set.of()));
  }

  /** Help that shows each user only what {@code access} lets them run. */
  public IntentHelp(
      IntentCatalog catalog, IntentbotConfig config, Mentions mentions, AccessPolicy access) {
    this(catalog, config, mentions, access, Clock.systemUTC());
  }

  public IntentHelp(
      IntentCatalog catalog,
      IntentbotConfig config,
      Mentions mentions,
      AccessPolicy access,
      Clock clock) {
    this.catalog = catalog;
    this.config = config;
    this.mentions = mentions;
    this.access = access;
    this.clock = clock;
  }

  /** {@code help} for {@code who}: the commands, then the intents they may run. */
  public String help(Actor who) {
    return commands() + list(who);
  }

  /** {@code list} for {@code who}: only the intents they may run, saying so when rules apply. */
  public String list(Actor who) {
    if (access.open()) {
      return list();
    }
    List<IntentDefinition> mine =
        catalog.all().stream().filter(i -> access.mayRunSomewhere(who, i)).toList();
    int hidden = catalog.all().size() - mine.size();
    String note =
        "\n_Only the intents you may run"
            + (who.channel() == null ? "" : " from here")
            + " are listed"
            + (hidden == 0 ? "" : " (" + hidden + " more need rights you do not have)")
            + "._";
    if (mine.isEmpty()) {
      return "You may not run any intent"
          + (who.channel() == null ? "" : " from here")
          + "."
          + note;
    }
    return list(mine, "*Intents you may run*\n") + note;
  }

  /** {@code describe INTENT} for {@code who}; says so when they may not run it. */
  public Reply describe(String name, Actor who) {
    var intent = catalog.find(name);
    if (intent.isEmpty() || access.open()) {
      return describe(name);
    }
    if (!access.mayRunSomewhere(who, intent.get())) {
      return Reply.error(
          "You may not run `"
              + name
              + "`"
              + access
                  .mayRun(who, intent.get(), List.of())
                  .map(r -> ": " + OutcomeText.forChat(mentions).refusal(r))
                  .orElse("")
              + ". Type `list` for the intents you may run.");
    }
    String text = describe(intent.get());
    if (intent.get().environmentParameter().isPresent()) {
      text +=
          "\nYou may run it in: "
              + String.join(", ", access.environmentsFor(who, intent.get()))
              + ".";
    }
    return Reply.info(text);
  }

  public String help() {
    return commands() + list();
  }

  private String commands() {
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
    return out.toString();
  }

  public String list() {
    List<IntentDefinition> all = catalog.all();
    if (all.isEmpty()) {
      return "No intents are loaded.";
    }
    return list(all, "*Intents*\n");
  }

  private static String list(List<IntentDefinition> all, String title) {
    StringBuilder out = new StringBuilder(title);
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
    var invalid = BrokenIntents.invalid(catalog, name);
    if (invalid.isPresent()) {
      return invalid.get();
    }
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
          line += ", `--break-glass \"reason\"` allowed" + breakGlassWho(env);
        }
        lines.add(line);
      }
    }
    String freezes = freezes(intent);
    if (lines.isEmpty()) {
      return "No environment needs approval.\n" + freezes;
    }
    return "*Needs approval in*\n" + String.join("\n", lines) + "\n" + freezes;
  }

  private String breakGlassWho(EnvironmentConfig env) {
    var rights = env.breakGlassRights();
    List<String> who = new ArrayList<>();
    who.add("its approvers");
    rights.users().forEach(u -> who.add(mentions.user(u)));
    rights.groups().forEach(g -> who.add(mentions.group(g)));
    return " to " + String.join(", ", who);
  }

  /** The freeze in effect or the next one, per environment that has windows. */
  private String freezes(IntentDefinition intent) {
    StringBuilder out = new StringBuilder();
    Instant now = clock.instant();
    for (EnvironmentConfig env : config.environments().values()) {
      var current = FreezeCalendar.current(env, now);
      var window = current.isPresent() ? current : FreezeCalendar.next(env, now);
      if (window.isEmpty()) {
        continue;
      }
      out.append("• `")
          .append(env.name())
          .append("` ")
          .append(current.isPresent() ? "frozen now" : "next freeze")
          .append(": ")
          .append(RunText.when(window.get().from()))
          .append(" to ")
          .append(RunText.when(window.get().to()))
          .append(window.get().reason() == null ? "" : " (" + window.get().reason() + ")")
          .append('\n');
    }
    return out.length() == 0
        ? ""
        : "*Freeze windows* (" + intent.risk().label() + " runs refused inside)\n" + out;
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
