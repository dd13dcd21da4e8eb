package io.intentbot.bot.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.config.GroupDirectory;
import io.intentbot.engine.testing.EngineFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The chat command parser and handler under random and hostile text: parsing never throws, a
 * malformed command gets a message, a run command only carries {@code key=value} arguments, quoting
 * keeps any word intact, and the handler answers anything with a non-empty reply.
 */
class CommandParserPropertiesTest {

  static final List<String> HOSTILE =
      List.of(
          "; rm -rf /",
          "$(id)",
          "`id`",
          "| cat /etc/passwd",
          "' OR '1'='1",
          "\"; DROP TABLE runs; --",
          "${{ run.id }}",
          "${jndi:ldap://x/a}",
          "%s%n",
          "--dry-run",
          "--break-glass",
          "--break-glass=",
          "--",
          "-h",
          "=",
          "a=b",
          "app=web",
          "env=production",
          "deploy-app",
          "approve",
          "reject",
          "status",
          "history",
          "\"",
          "'",
          "\\",
          "\u201c",
          "\u201d",
          "\u2018",
          "\u2019",
          " ",
          "\t",
          "\n",
          "\u00a0",
          "\u0000",
          "\u202e",
          "\ud83d\ude80",
          "\ud800",
          "x".repeat(5000));

  private static Path dir;
  private static EngineFixture bed;
  private static CommandHandler handler;

  @BeforeContainer
  static void start() throws IOException {
    dir = Files.createTempDirectory("parser-properties");
    bed = TestIntents.engine(dir, GroupDirectory.NONE);
    bed.build();
    handler = new CommandHandler(bed.engine(), Mentions.PLAIN);
    bed.started();
  }

  @AfterContainer
  static void stop() throws IOException {
    bed.close();
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(200),
        Arbitraries.of(HOSTILE).list().ofMaxSize(8).map(l -> String.join("", l)),
        Arbitraries.of(HOSTILE).list().ofMaxSize(8).map(l -> String.join(" ", l)));
  }

  @Property(tries = 500)
  void parsingNeverThrowsAndMalformedCommandsSayWhy(@ForAll("texts") String text) {
    Command command = CommandParser.parse(text);

    assertThat(command).isNotNull();
    if (command instanceof Command.Malformed malformed) {
      assertThat(malformed.message()).isNotBlank();
    }
    if (command instanceof Command.Run run) {
      assertThat(run.intent()).isNotEmpty().doesNotStartWith("-");
      assertThat(run.arguments()).allSatisfy(a -> assertThat(a.indexOf('=')).isPositive());
      if (run.breakGlassReason() != null) {
        assertThat(run.breakGlassReason()).isNotBlank();
      }
    }
  }

  @Provide
  Arbitrary<List<String>> words() {
    return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(30), Arbitraries.of(HOSTILE))
        .list()
        .ofMaxSize(6);
  }

  @Property(tries = 500)
  void anyWordSurvivesQuoting(@ForAll("words") List<String> words) {
    String text =
        words.stream().map(CommandParserPropertiesTest::quote).collect(Collectors.joining(" "));

    assertThat(CommandParser.tokenize(text)).containsExactlyElementsOf(words);
  }

  /** Quotes a word the way the parser documents: double quotes, backslash before any quote. */
  static String quote(String word) {
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : word.toCharArray()) {
      if (c == '\\' || c == '"' || c == '\'' || "\u201c\u201d\u2018\u2019".indexOf(c) >= 0) {
        quoted.append('\\');
      }
      quoted.append(c);
    }
    return quoted.append('"').toString();
  }

  @Property(tries = 300)
  void theHandlerAnswersAnythingWithAMessage(@ForAll("texts") String text) {
    Reply reply = handler.handle(text, new ChatUser("U0FUZZ", "C0FUZZ", "slack"));

    assertThat(reply).isNotNull();
    assertThat(reply.text()).isNotBlank().doesNotContain("Exception");
  }
}
