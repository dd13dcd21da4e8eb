package io.intentbot.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentbot.engine.access.FreezeCalendar;
import io.intentbot.engine.yaml.LoadProblem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The who-may-do-what keys are bound as written and checked strictly, like every other key. */
class AccessConfigTest {

  private static List<String> problems(String yaml) {
    return new ConfigLoader(name -> null)
        .check(yaml, "c.yaml").problems().stream().map(LoadProblem::toString).toList();
  }

  @Test
  void everyKeyIsBound() {
    IntentbotConfig config =
        new ConfigLoader(name -> null)
            .parse(
                """
                environments:
                  sandbox: {}
                  production:
                    protected: true
                    break_glass: { users: [U_ONCALL], groups: [S_SRE] }
                    approval: { approvers: [U_A], from: [slack, cli] }
                    freeze: [{ cron: "0 16 * * FRI", duration: 64h, reason: weekend }]
                datasources:
                  db: { url: "jdbc:h2:mem:x", environment: production }
                access:
                  - { intents: [deploy-*], environments: [production], groups: [S_D], channels: [C_OPS] }
                  - { risk: [read-only], users: ["*"] }
                admins: [U_ADMIN]
                identities: { alice: U_A }
                trusted_os_users: [ci]
                """,
                "c.yaml");
    EnvironmentConfig production = config.environment("production").orElseThrow();
    assertThat(production.breakGlass()).isTrue();
    assertThat(production.breakGlassRights())
        .isEqualTo(new BreakGlassRights(true, List.of("U_ONCALL"), List.of("S_SRE")));
    assertThat(production.approval().from()).containsExactly("slack", "cli");
    assertThat(config.environment("sandbox").orElseThrow().approval().from())
        .containsExactly("slack");
    assertThat(config.datasource("db").orElseThrow().environment()).isEqualTo("production");
    AccessConfig access = config.access();
    assertThat(access.open()).isFalse();
    assertThat(access.rules().get(0).name()).isEqualTo("access[1]");
    assertThat(access.rules().get(0).coversIntent("deploy-app", "mutating")).isTrue();
    assertThat(access.rules().get(0).coversIntent("rollback-app", "mutating")).isFalse();
    assertThat(access.rules().get(1).coversIntent("anything", "read-only")).isTrue();
    assertThat(access.rules().get(1).coversIntent("anything", "mutating")).isFalse();
    assertThat(access.admins()).containsExactly("U_ADMIN");
    assertThat(access.identities()).containsEntry("alice", "U_A");
    assertThat(access.trustedOsUsers()).containsExactly("ci");
    assertThat(new ConfigLoader(name -> null).parse("apps: [web]\n", "c.yaml").access().open())
        .isTrue();
  }

  @Test
  void mistakesAreErrorsAtTheirPlace() {
    assertThat(
            problems(
                """
                environments:
                  production:
                    approval: { from: [slak] }
                    break_glass: { user: [U1] }
                    freeze: [{ cron: "0 25 * * FRI", duration: 1h }, { reason: x }]
                datasources:
                  db: { url: "jdbc:h2:mem:x", environment: prod }
                access:
                  - { environments: [staging], users: [U1] }
                  - { intents: ["*"], risk: [harmless] }
                """))
        .containsExactlyInAnyOrder(
            "c.yaml:4:20: unknown key 'environments.production.break_glass.user' (did you mean"
                + " 'users'?); expected one of groups, users",
            "c.yaml:3:23: approval.from: unknown source 'slak'; one of slack, cli",
            "c.yaml:5:22: environments.production.freeze[1]: cron hour must be 0..23, got 25",
            "c.yaml:5:54: environments.production.freeze[2]: give cron and duration, or from and"
                + " to",
            "c.yaml:7:44: datasources.db.environment: no environment 'prod'; environments are:"
                + " production",
            "c.yaml:9:5: access[1]: name the intents it covers (intents: [...], or risk: [...])",
            "c.yaml:9:21: access[1]: no environment 'staging'; environments are: production",
            "c.yaml:10:5: access[2]: name who it covers (users: [...] or groups: [...])",
            "c.yaml:10:29: access[2]: unknown risk 'harmless'; one of read-only, mutating,"
                + " destructive");
  }

  @Test
  void aWeekendFreezeStartsFridayAtFourAndLastsSixtyFourHours() {
    EnvironmentConfig production =
        new ConfigLoader(name -> null)
            .parse(
                """
                environments:
                  production:
                    freeze: [{ cron: "0 16 * * FRI", duration: 64h, reason: weekend }]
                """,
                "c.yaml")
            .environment("production")
            .orElseThrow();
    Instant friday = Instant.parse("2026-12-04T16:00:00Z");
    assertThat(FreezeCalendar.current(production, friday.minusSeconds(60))).isEmpty();
    assertThat(FreezeCalendar.current(production, friday).orElseThrow().to())
        .isEqualTo(Instant.parse("2026-12-07T08:00:00Z"));
    assertThat(FreezeCalendar.current(production, Instant.parse("2026-12-07T07:59:00Z")))
        .isPresent();
    assertThat(FreezeCalendar.current(production, Instant.parse("2026-12-07T08:00:00Z"))).isEmpty();
    assertThat(FreezeCalendar.next(production, Instant.parse("2026-12-01T00:00:00Z")).orElseThrow())
        .isEqualTo(new FreezeCalendar.Window(friday, friday.plus(Duration.ofHours(64)), "weekend"));
    assertThatThrownBy(() -> CronSchedule.parse("0 16 * FRI")).hasMessageContaining("5 fields");
  }
}
