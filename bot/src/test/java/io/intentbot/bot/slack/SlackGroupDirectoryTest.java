package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Group members are cached for the ttl on the directory's clock; configuration errors reach {@code
 * /healthz}; a 429's Retry-After is honoured.
 */
class SlackGroupDirectoryTest {

  @Test
  void membersAreCachedForTheTtlAndTheLastKnownServeWhenSlackFails() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    StubSlackMethods slack = new StubSlackMethods();
    SlackGroupDirectory groups =
        new SlackGroupDirectory(slack.client(), Duration.ofMinutes(1), clock);

    assertThat(groups.members("S1")).containsExactly("U1");
    slack.groupMembers = List.of("U1", "U2");
    clock.advance(Duration.ofSeconds(59));
    assertThat(groups.members("S1")).containsExactly("U1");
    assertThat(slack.calls).hasSize(1);

    clock.advance(Duration.ofSeconds(1));
    assertThat(groups.members("S1")).containsExactlyInAnyOrder("U1", "U2");
    assertThat(slack.calls).hasSize(2);

    slack.fail(500);
    slack.fail(500);
    clock.advance(Duration.ofMinutes(5));
    assertThat(groups.members("S1")).containsExactlyInAnyOrder("U1", "U2");
    assertThat(groups.members("S2")).isEmpty();
  }

  @Test
  void aMissingScopeIsReportedOnHealthzNotOnlyLoggedAndClearsOnceFixed() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    StubSlackMethods slack = new StubSlackMethods();
    SlackHealth health = new SlackHealth();
    SlackGroupDirectory groups =
        new SlackGroupDirectory(slack.client(), Duration.ofMinutes(1), clock, health);

    slack.refuse("missing_scope");
    assertThat(groups.members("S1")).isEmpty();
    assertThat(health.problems())
        .containsExactly(
            "usergroups.users.list: missing_scope (add the scope usergroups:read to the"
                + " Slack app and reinstall it)");

    assertThat(groups.members("S1")).containsExactly("U1");
    assertThat(health.problems()).isEmpty();
  }

  @Test
  void aRetryAfterOnTheGroupLookUpIsHonoured() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    StubSlackMethods slack = new StubSlackMethods();
    SlackGroupDirectory groups =
        new SlackGroupDirectory(slack.client(), Duration.ofMinutes(1), clock);

    slack.rateLimit(30);
    assertThat(groups.members("S1")).isEmpty();
    clock.advance(Duration.ofSeconds(29));
    assertThat(groups.members("S1")).isEmpty();
    assertThat(slack.calls).as("no call before Retry-After").hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(groups.members("S1")).containsExactly("U1");
    assertThat(slack.calls).hasSize(2);
  }
}
