package io.intentbot.bot.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandParserTest {

  @Test
  void runWithQuotedValuesAndOptions() {
    Command command =
        CommandParser.parse(
            "deploy-app app=web message=\"a b  c\" note='x y' --dry-run --break-glass \"db on fire\"");
    assertThat(command)
        .isEqualTo(
            new Command.Run(
                "deploy-app",
                List.of("app=web", "message=a b  c", "note=x y"),
                true,
                "db on fire"));
  }

  @Test
  void curlyQuotesFromSlackCountAsQuotes() {
    assertThat(CommandParser.parse("deploy-app message=\u201chello there\u201d"))
        .isEqualTo(new Command.Run("deploy-app", List.of("message=hello there"), false, null));
  }

  @Test
  void verbs() {
    assertThat(CommandParser.parse("")).isInstanceOf(Command.Help.class);
    assertThat(CommandParser.parse("help")).isInstanceOf(Command.Help.class);
    assertThat(CommandParser.parse("list")).isInstanceOf(Command.ListIntents.class);
    assertThat(CommandParser.parse("describe deploy-app"))
        .isEqualTo(new Command.Describe("deploy-app"));
    assertThat(CommandParser.parse("history")).isEqualTo(new Command.History(null));
    assertThat(CommandParser.parse("history deploy-app"))
        .isEqualTo(new Command.History("deploy-app"));
    assertThat(CommandParser.parse("status r-1")).isEqualTo(new Command.Status("r-1"));
    assertThat(CommandParser.parse("cancel r-1")).isEqualTo(new Command.Cancel("r-1"));
    assertThat(CommandParser.parse("approve r-1")).isEqualTo(new Command.Approve("r-1"));
    assertThat(CommandParser.parse("reject r-1 not now"))
        .isEqualTo(new Command.Reject("r-1", "not now"));
  }

  @Test
  void malformedInputSaysWhatToType() {
    assertThat(CommandParser.parse("deploy-app app=\"web"))
        .isInstanceOfSatisfying(
            Command.Malformed.class, m -> assertThat(m.message()).contains("unclosed quote"));
    assertThat(CommandParser.parse("deploy-app web"))
        .isInstanceOfSatisfying(
            Command.Malformed.class, m -> assertThat(m.message()).contains("key=value"));
    assertThat(CommandParser.parse("deploy-app app=web --break-glass"))
        .isInstanceOfSatisfying(
            Command.Malformed.class, m -> assertThat(m.message()).contains("needs a reason"));
    assertThat(CommandParser.parse("deploy-app --force")).isInstanceOf(Command.Malformed.class);
    assertThat(CommandParser.parse("approve"))
        .isInstanceOfSatisfying(
            Command.Malformed.class, m -> assertThat(m.message()).contains("approve RUN"));
  }

  @Test
  void backslashEscapes() {
    assertThat(CommandParser.tokenize("a=x\\ y b=\\\"q")).containsExactly("a=x y", "b=\"q");
  }
}
