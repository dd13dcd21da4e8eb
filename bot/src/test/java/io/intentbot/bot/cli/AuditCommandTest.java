package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit head} and {@code audit verify --expect-head}, with and without the audit key. */
class AuditCommandTest {

  private static final Map<String, String> KEYED =
      Map.of("INTENTBOT_AUDIT_KEY", "0123456789abcdef0123456789abcdef");

  @TempDir Path dir;
  private CliFixture cli;

  @BeforeEach
  void setUp() throws Exception {
    cli = new CliFixture(dir);
    cli.engine.intent(
        "hello", "name: hello\nsteps:\n  - id: a\n    type: set\n    with: { x: '1' }\n");
  }

  @Test
  void aDeletedTailIsFoundAgainstTheHeadKeptElsewhere() throws Exception {
    assertThat(cli.runWith(KEYED, "run", "hello").exitCode()).isZero();
    assertThat(cli.runWith(KEYED, "run", "hello").exitCode()).isZero();
    CliFixture.Result head = cli.runWith(KEYED, "audit", "head");
    assertThat(head.exitCode()).isZero();
    assertThat(head.out()).matches("2:[0-9a-f]{64}\n");
    String witnessed = head.out().strip();

    try (Connection c = DriverManager.getConnection(cli.engine.dbUrl());
        Statement s = c.createStatement()) {
      for (String table : new String[] {"steps", "run_owners"}) {
        s.executeUpdate(
            "DELETE FROM " + table + " WHERE run_id IN (SELECT id FROM runs WHERE seq = 2)");
      }
      s.executeUpdate("DELETE FROM runs WHERE seq = 2");
      s.executeUpdate(
          "UPDATE chain_head SET last_seq = 1, last_hash = (SELECT record_hash FROM runs WHERE"
              + " seq = 1)");
    }

    CliFixture.Result alone = cli.runWith(KEYED, "audit", "verify");
    assertThat(alone.exitCode()).as("the chain alone cannot see a deleted tail").isZero();
    assertThat(alone.out())
        .contains("MACs: 1 of 1 confirmed with INTENTBOT_AUDIT_KEY")
        .contains("expected head: none given");
    CliFixture.Result against = cli.runWith(KEYED, "audit", "verify", "--expect-head", witnessed);
    assertThat(against.exitCode()).isEqualTo(1);
    assertThat(against.out())
        .contains(
            "TAMPERED: the expected entry "
                + witnessed
                + " is not in the chain (the chain ends at seq 1): records were deleted");
  }

  @Test
  void aDecisionOrARefusedAttemptDeletedWithPlainSqlFailsVerify() throws Exception {
    cli.engine.intent(
        "deploy",
        "name: deploy\nrisk: mutating\nparameters:\n  env: { type: environment, required: true }\n"
            + "steps:\n  - id: a\n    type: set\n    with: { x: '1' }\n");
    CliFixture.Result waiting = cli.runWith(KEYED, "run", "deploy", "env=production");
    assertThat(waiting.exitCode()).as(waiting.err()).isEqualTo(3);
    String id = waiting.out().strip().lines().reduce((a, b) -> b).orElseThrow();
    assertThat(cli.runWith(KEYED, "approve", id).exitCode()).as("self approval").isEqualTo(4);
    Map<String, String> alice = new java.util.HashMap<>(KEYED);
    alice.put("USER", "alice");
    CliFixture.Result approved = cli.runWith(alice, "approve", id);
    assertThat(approved.exitCode()).as(approved.err()).isZero();
    CliFixture.Result intact = cli.runWith(KEYED, "audit", "verify");
    assertThat(intact.exitCode()).as(intact.out()).isZero();
    assertThat(intact.out())
        .contains("covers: 1 finished runs, 1 decisions, 0 acknowledgements, 2 access log entries");

    try (Connection c = DriverManager.getConnection(cli.engine.dbUrl());
        Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM access_log WHERE refused = TRUE");
      s.executeUpdate("UPDATE approvals SET user_id = 'U_BOB'");
    }

    CliFixture.Result tampered = cli.runWith(KEYED, "audit", "verify");
    assertThat(tampered.exitCode()).isEqualTo(1);
    assertThat(tampered.out())
        .containsPattern(
            "TAMPERED: access log entry \\d+ \\(seq 1\\) was deleted after it was sealed")
        .contains(
            "TAMPERED: the decision of U_ALICE on run "
                + id
                + " (seq 2) was deleted after it was sealed")
        .contains("was changed after it was sealed");
  }

  @Test
  void aBadHeadOrAWeakKeyIsAClearError() {
    CliFixture.Result bad = cli.run("audit", "verify", "--expect-head", "12:abc");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("'12:abc' is not a chain head: expected SEQ:HASH");

    CliFixture.Result weak = cli.runWith(Map.of("INTENTBOT_AUDIT_KEY", "short"), "run", "hello");
    assertThat(weak.exitCode()).isEqualTo(2);
    assertThat(weak.err()).contains("INTENTBOT_AUDIT_KEY is 5 characters long; use at least 32");
    assertThat(cli.run("history").out()).doesNotContain("hello");
  }
}
