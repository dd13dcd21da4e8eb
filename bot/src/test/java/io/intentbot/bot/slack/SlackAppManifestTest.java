package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.slack.api.SlackConfig;
import com.slack.api.model.manifest.AppManifest;
import com.slack.api.util.json.GsonFactory;
import io.intentbot.engine.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped app manifest ({@code config/slack-app-manifest.yaml}) as Slack reads it: parsed by
 * the Slack SDK's own manifest model with unknown properties refused (Slack's manifest schema has
 * {@code additionalProperties: false} at every level), within the schema's limits, and asking for
 * exactly the scopes the bot uses, the ones issue 15 added among them.
 */
class SlackAppManifestTest {

  static final Path MANIFEST = Path.of("..", "config", "slack-app-manifest.yaml");

  /** Every bot scope the bot needs, and what for (the README's "Creating the Slack app"). */
  static final List<String> SCOPES =
      List.of(
          "commands", // the slash command
          "chat:write", // cards, threads, updates
          "chat:write.public", // public channels without an invitation
          "usergroups:read", // approver groups and access rules: usergroups.users.list
          "channels:read", // the channel check: conversations.info
          "groups:read", // the same in private channels
          "files:write", // a step's whole output as a file in its thread
          "channels:history", // a lost answer: find the card in conversations.history
          "groups:history"); // the same in private channels

  private static String json() throws Exception {
    return Json.MAPPER.writeValueAsString(
        Json.YAML.readValue(Files.readString(MANIFEST), Map.class));
  }

  /** Slack's Java SDK reading a manifest, failing on any property its model does not have. */
  private static AppManifest asSlackReadsIt(String json) {
    SlackConfig strict = new SlackConfig();
    strict.setFailOnUnknownProperties(true);
    return GsonFactory.createSnakeCase(strict).fromJson(json, AppManifest.class);
  }

  @Test
  void slacksOwnManifestModelReadsItWithNoUnknownProperty() throws Exception {
    AppManifest manifest = asSlackReadsIt(json());

    assertThat(manifest.getDisplayInformation().getName())
        .isNotBlank()
        .hasSizeLessThanOrEqualTo(35);
    assertThat(manifest.getDisplayInformation().getDescription()).hasSizeLessThanOrEqualTo(140);
    assertThat(manifest.getDisplayInformation().getBackgroundColor())
        .matches("^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$");
    assertThat(manifest.getFeatures().getBotUser().getDisplayName())
        .isNotBlank()
        .hasSizeLessThanOrEqualTo(80);
    assertThat(manifest.getFeatures().getSlashCommands())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getCommand()).isEqualTo("/intent").hasSizeLessThanOrEqualTo(32);
              assertThat(c.getUrl()).startsWith("https://").endsWith("/slack/events");
              assertThat(c.getDescription()).isNotBlank().hasSizeLessThanOrEqualTo(2000);
              assertThat(c.getUsageHint()).hasSizeLessThanOrEqualTo(1000);
            });
    assertThat(manifest.getSettings().getInteractivity().getIsEnabled()).isTrue();
    assertThat(manifest.getSettings().getInteractivity().getRequestUrl())
        .startsWith("https://")
        .endsWith("/slack/events");
  }

  @Test
  void itAsksForExactlyTheScopesTheBotUses() throws Exception {
    List<String> bot = asSlackReadsIt(json()).getOauthConfig().getScopes().getBot();
    assertThat(bot).containsExactlyInAnyOrderElementsOf(SCOPES).doesNotHaveDuplicates();
    assertThat(bot)
        .allSatisfy(
            s -> assertThat(s).matches("^[a-z_]+:?[a-z_.:]*$").hasSizeLessThanOrEqualTo(50));
  }

  @Test
  void aMisspelledKeyIsCaughtAsSlackWouldRefuseIt() throws Exception {
    String misspelled = json().replace("\"usage_hint\"", "\"usage_hints\"");
    assertThatThrownBy(() -> asSlackReadsIt(misspelled)).hasMessageContaining("usage_hints");
  }
}
