package io.intentbot.bot.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.access.AccessPolicy;
import io.intentbot.engine.config.GroupDirectory;
import io.intentbot.engine.model.Actor;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code describe} shows the freeze window in effect, or the next one, per environment (#11.7). */
class IntentHelpFreezeTest {

  @TempDir Path dir;

  private String describeAt(String instant) {
    EngineFixture bed =
        TestIntents.engine(dir, GroupDirectory.NONE)
            .config(
                TestIntents.CONFIG.replace(
                    "expires_after: 30m }",
                    "expires_after: 30m }\n    freeze: [{ cron: \"0 16 * * FRI\", duration: 64h,"
                        + " reason: weekend }]"));
    var config = bed.loadConfig();
    IntentHelp help =
        new IntentHelp(
            bed.catalog(),
            config,
            Mentions.PLAIN,
            new AccessPolicy(config, GroupDirectory.NONE),
            Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
    return help.describe("deploy-app", Actor.of("U0ALICE")).text();
  }

  @Test
  void describeShowsTheNextFreezeWindowAndTheOneInEffect() {
    assertThat(describeAt("2026-12-02T10:00:00Z"))
        .contains(
            "*Freeze windows* (mutating runs refused inside)",
            "• `production` next freeze: Fri 2026-12-04 16:00Z to Mon 2026-12-07 08:00Z (weekend)");
    assertThat(describeAt("2026-12-05T10:00:00Z"))
        .contains(
            "• `production` frozen now: Fri 2026-12-04 16:00Z to Mon 2026-12-07 08:00Z (weekend)");
  }
}
