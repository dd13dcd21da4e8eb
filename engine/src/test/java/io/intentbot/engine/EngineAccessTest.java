package io.intentbot.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.engine.model.AccessEvent;
import io.intentbot.engine.model.Actor;
import io.intentbot.engine.model.Approvers;
import io.intentbot.engine.model.Decision;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunEvent;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of issue 11 against the engine, as every adapter reaches it: access rules,
 * break-glass rights, the environments a run touches (environment parameters and datasources),
 * freeze windows, approvals from a terminal, cancel rights and the access log. On an H2 file here;
 * {@code EngineAccessPostgresIT} runs the same on PostgreSQL.
 */
class EngineAccessTest {

  static final String CONFIG =
      """
      apps: [web, api]
      environments:
        sandbox: { namespace: "{app}-sandbox" }
        production:
          namespace: "{app}"
          protected: true
          break_glass: { users: [U_ONCALL] }
          approval: { approvers: [U_ALICE, U_BOB], required: 1, expires_after: 30m }
          #freeze
      datasources:
        web-sandbox: { url: "jdbc:h2:mem:ws", environment: sandbox }
        web-production: { url: "jdbc:h2:mem:wp", environment: production }
        live-production: { url: "jdbc:h2:file:#dir/live-production", environment: production, migrations: migrations }
      access:
        - intents: ["*"]
          environments: [sandbox]
          users: ["*"]
        - intents: [deploy-app]
          environments: [production]
          groups: [S_DEPLOYERS]
          channels: [C_OPS]
        - intents: ["*"]
          environments: [sandbox, production]   # one rule must cover every environment touched
          users: [U_ALICE, U_ONCALL]
      admins: [U_ADMIN]
      """;

  @TempDir Path dir;
  EngineFixture fixture;

  /** The audit database of the engines under test; H2 under {@code dir} unless overridden. */
  String databaseUrl() throws Exception {
    return null;
  }

  @BeforeEach
  void setUp() throws Exception {
    fixture =
        new EngineFixture(dir)
            .intent(
                "deploy-app",
                """
                name: deploy-app
                risk: mutating
                parameters:
                  app: { type: app, required: true }
                  env: { type: environment, required: true }
                steps:
                  - id: roll
                    type: set
                    with: { done: "${{ params.app }}" }
                """)
            .intent(
                "seed-db",
                """
                name: seed-db
                risk: mutating
                parameters:
                  env: { type: environment, default: sandbox }
                  datasource: { type: string, required: true }
                steps:
                  - id: settings
                    type: set
                    with: { datasource: "${{ params.datasource }}" }
                  - id: seed
                    type: sql
                    with: { datasource: "${{ steps.settings.outputs.datasource }}", statement: "CREATE TABLE IF NOT EXISTS seeded (id INT)" }
                """)
            .intent(
                "inspect-db",
                """
                name: inspect-db
                risk: read-only
                parameters:
                  env: { type: environment, default: sandbox }
                  datasource: { type: string, required: true }
                steps:
                  - id: pending
                    type: flyway
                    with: { datasource: "${{ params.datasource }}", action: info }
                """)
            .intent(
                "restore-app",
                """
                name: restore-app
                risk: destructive
                parameters:
                  app: { type: app, required: true }
                  env: { type: environment, required: true }
                  from_env: { type: environment }
                steps:
                  - id: copy
                    type: set
                    with: { from: "${{ params.from_env }}" }
                """)
            .config(CONFIG.replace("#freeze", ""))
            .groups(group -> group.equals("S_DEPLOYERS") ? Set.of("U_DEPLOYER") : Set.of());
    String url = databaseUrl();
    if (url != null) {
      fixture.database(url, null, null);
    }
  }

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  private static RunRequest request(
      String intent, String user, String channel, String source, String... args) {
    Map<String, String> origin =
        channel == null ? Map.of("source", source) : Map.of("source", source, "channel", channel);
    return new RunRequest(intent, List.of(args), user, false, null, origin);
  }

  @Test
  void aRefusalNamesTheRuleThatWouldAllowItAndIsAuditedWithoutBecomingARun() {
    Engine engine = fixture.start();
    Submission carol =
        engine.submit(
            request("deploy-app", "U_CAROL", "C_OPS", "slack", "app=web", "env=production"));
    assertThat(((Submission.Refused) carol).reason())
        .isEqualTo(
            new Refusal.RefusedByPolicy(
                "access[2]",
                new Approvers(List.of(), List.of("S_DEPLOYERS")),
                "deploy-app",
                List.of("production"),
                List.of("C_OPS")));
    Submission wrongChannel =
        engine.submit(
            request("deploy-app", "U_DEPLOYER", "C_RANDOM", "slack", "app=web", "env=production"));
    assertThat(wrongChannel).isInstanceOf(Submission.Refused.class);
    Submission fromOps =
        engine.submit(
            request("deploy-app", "U_DEPLOYER", "C_OPS", "slack", "app=web", "env=production"));
    assertThat(fromOps).isInstanceOf(Submission.AwaitingApproval.class);
    Submission dryRun =
        engine.submit(
            request("deploy-app", "U_CAROL", null, "cli", "app=web", "env=production").asDryRun());
    assertThat(dryRun).as("a dry run reads production too").isInstanceOf(Submission.Refused.class);

    assertThat(engine.history(null, 10))
        .extracting(RunRecord::requester)
        .containsOnly("U_DEPLOYER");
    List<AccessEvent> refused = engine.refusedAttempts(10);
    assertThat(refused)
        .extracting(AccessEvent::user, AccessEvent::action, AccessEvent::rule, AccessEvent::channel)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("U_CAROL", "dry-run", "access[2]", null),
            org.assertj.core.groups.Tuple.tuple("U_DEPLOYER", "run", "access[2]", "C_RANDOM"),
            org.assertj.core.groups.Tuple.tuple("U_CAROL", "run", "access[2]", "C_OPS"));
    assertThat(refused.get(0).environments()).containsExactly("production");
    assertThat(refused.get(0).source()).isEqualTo("cli");
  }

  @Test
  void aDatasourceOfProductionGatesARunInSandboxByProductionsApproval() {
    Engine engine = fixture.start();
    Submission sandboxData =
        engine.submit(request("seed-db", "U_CAROL", null, "slack", "datasource=web-sandbox"));
    assertThat(sandboxData).isInstanceOf(Submission.Started.class);

    Submission carol =
        engine.submit(request("seed-db", "U_CAROL", null, "slack", "datasource=web-production"));
    assertThat(((Submission.Refused) carol).reason())
        .as("access must cover production, which the datasource touches")
        .isInstanceOfSatisfying(
            Refusal.RefusedByPolicy.class,
            r -> assertThat(r.environments()).containsExactly("sandbox", "production"));

    Submission alice =
        engine.submit(request("seed-db", "U_ALICE", null, "slack", "datasource=web-production"));
    Submission.AwaitingApproval waiting = (Submission.AwaitingApproval) alice;
    assertThat(waiting.run().environment()).isEqualTo("sandbox");
    assertThat(waiting.run().approvalEnvironment()).isEqualTo("production");
    assertThat(waiting.policy().approvers()).containsExactly("U_ALICE", "U_BOB");
    String id = waiting.run().id();
    assertThat(((Decision.Refused) engine.approve(id, "U_ALICE")).reason())
        .isInstanceOf(Refusal.SelfApproval.class);
    assertThat(((Decision.Refused) engine.approve(id, "U_CAROL")).reason())
        .isInstanceOf(Refusal.NotAnApprover.class);
    assertThat(engine.approve(id, "U_BOB").accepted()).isTrue();
  }

  @Test
  void theAccessLogSaysInWordsWhatWasRefusedByWhichRuleAndWhoMay() {
    Engine engine = fixture.start();
    engine.submit(request("deploy-app", "U_CAROL", "C_OPS", "slack", "app=web", "env=production"));
    Submission alice =
        engine.submit(request("seed-db", "U_ALICE", null, "slack", "datasource=web-production"));
    String id = ((Submission.AwaitingApproval) alice).run().id();
    engine.approve(id, "U_ALICE");
    engine.approve(id, "U_CAROL");

    List<String> reasons = engine.refusedAttempts(10).stream().map(AccessEvent::reason).toList();
    assertThat(reasons)
        .containsExactly(
            "not an approver of runs in production (environments.production.approval): only one"
                + " of U_ALICE, U_BOB may approve",
            "the requester may not approve their own run "
                + id
                + " (self-approval is not allowed): only one of U_ALICE, U_BOB, other than the"
                + " requester, may",
            "deploy-app in production: only a member of S_DEPLOYERS, from channel C_OPS"
                + " (access[2])");
    assertThat(reasons)
        .allSatisfy(
            reason ->
                assertThat(reason)
                    .as("no record syntax")
                    .doesNotContain("=")
                    .doesNotContainPattern("[A-Za-z]\\[[a-z]")
                    .doesNotContain("<@"));
  }

  @Test
  void aRefusedDryRunNeverOpensTheProductionDatabaseItsParametersName() throws Exception {
    fixture.config(CONFIG.replace("#freeze", "").replace("#dir", dir.toString()));
    java.nio.file.Files.createDirectories(fixture.intentsDir().resolve("migrations"));
    Path live = dir.resolve("live-production.mv.db");
    Engine engine = fixture.start();
    for (String datasource :
        List.of("datasource=live-production", " datasource = live-production ")) {
      Submission carol =
          engine.submit(request("inspect-db", "U_CAROL", null, "cli", datasource).asDryRun());
      assertThat(((Submission.Refused) carol).reason())
          .as("refused before planning, on every environment the parameters name")
          .isInstanceOfSatisfying(
              Refusal.RefusedByPolicy.class,
              r -> assertThat(r.environments()).containsExactly("sandbox", "production"));
      assertThat(live).as("planning would have opened it").doesNotExist();
    }
    assertThat(engine.refusedAttempts(5))
        .extracting(AccessEvent::environments)
        .containsOnly(List.of("sandbox", "production"));

    Submission alice =
        engine.submit(
            request("inspect-db", "U_ALICE", null, "cli", "datasource=live-production").asDryRun());
    assertThat(alice).isInstanceOf(Submission.Planned.class);
    assertThat(live).as("the plan of someone allowed reads it").exists();
  }

  @Test
  void aMistypedEnvironmentIsAnInvalidParameterWithADidYouMeanNotARefusal() {
    Engine engine = fixture.start();
    Submission typo =
        engine.submit(request("deploy-app", "U_CAROL", null, "cli", "app=web", "env=sandbx"));
    assertThat(typo).isInstanceOf(Submission.Invalid.class);
    assertThat(((Submission.Invalid) typo).problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.parameter()).isEqualTo("env");
              assertThat(p.didYouMean()).contains("sandbox");
            });
    assertThat(engine.refusedAttempts(5)).isEmpty();
  }

  @Test
  void restoringFromProductionIntoSandboxWaitsForProductionsApproval() {
    Engine engine = fixture.start();
    Submission copy =
        engine.submit(
            request(
                "restore-app",
                "U_ALICE",
                null,
                "slack",
                "app=web",
                "env=sandbox",
                "from_env=production"));
    assertThat(copy).isInstanceOf(Submission.AwaitingApproval.class);
    assertThat(((Submission.AwaitingApproval) copy).run().approvalEnvironment())
        .isEqualTo("production");
    Submission carol =
        engine.submit(
            request(
                "restore-app",
                "U_CAROL",
                null,
                "slack",
                "app=web",
                "env=sandbox",
                "from_env=production"));
    assertThat(carol).isInstanceOf(Submission.Refused.class);
  }

  @Test
  void breakGlassIsForTheApproversAndThoseNamedAndNeedsSomethingToBypass() throws Exception {
    Engine engine = fixture.start();
    Submission carol =
        engine.submit(
            request("deploy-app", "U_ALICE", null, "slack", "app=web", "env=sandbox")
                .withBreakGlass("cleanup"));
    assertThat(((Submission.Refused) carol).reason())
        .isEqualTo(new Refusal.NothingToBypass("deploy-app", "sandbox"));

    Submission deployer =
        engine.submit(
            request("deploy-app", "U_DEPLOYER", "C_OPS", "slack", "app=web", "env=production")
                .withBreakGlass("cleanup"));
    assertThat(((Submission.Refused) deployer).reason())
        .isEqualTo(
            new Refusal.BreakGlassNotPermitted(
                "production", new Approvers(List.of("U_ALICE", "U_BOB", "U_ONCALL"), List.of())));

    Submission oncall =
        engine.submit(
            request("deploy-app", "U_ONCALL", null, "slack", "app=web", "env=production")
                .withBreakGlass("site down"));
    assertThat(oncall).isInstanceOf(Submission.Started.class);
    assertThat(
            engine
                .awaitFinished(((Submission.Started) oncall).run().id(), Duration.ofSeconds(10))
                .orElseThrow()
                .status())
        .isEqualTo(RunStatus.SUCCEEDED);
    assertThat(engine.awaitingReview())
        .extracting(RunRecord::id)
        .containsExactly(((Submission.Started) oncall).run().id());
    assertThat(engine.refusedAttempts(10))
        .extracting(AccessEvent::rule)
        .containsExactly("environments.production.break_glass", "break_glass");
  }

  @Test
  void aFreezeRefusesChangesAndBreakGlassSaysItBrokeIt() throws Exception {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    fixture.config(
        CONFIG.replace(
            "#freeze",
            "freeze: [{ from: "
                + today.minusDays(1)
                + ", to: "
                + today.plusDays(1)
                + ", reason: holidays }]"));
    Engine engine = fixture.start();
    Submission frozen =
        engine.submit(request("deploy-app", "U_ALICE", null, "slack", "app=web", "env=production"));
    Refusal.Frozen refusal = (Refusal.Frozen) ((Submission.Refused) frozen).reason();
    assertThat(refusal.reason()).isEqualTo("holidays");
    assertThat(refusal.until())
        .isEqualTo(today.plusDays(2).atStartOfDay(ZoneOffset.UTC).toInstant());
    assertThat(refusal.until()).isAfter(Instant.now());

    Submission broke =
        engine.submit(
            request("deploy-app", "U_ONCALL", null, "slack", "app=web", "env=production")
                .withBreakGlass("hotfix"));
    assertThat(broke).isInstanceOf(Submission.Started.class);
    assertThat(((Submission.Started) broke).run().origin())
        .containsEntry("broke_freeze", "production (holidays)");
  }

  @Test
  void aTerminalApprovesProductionOnlyWhereApprovalFromSaysCli() {
    Engine engine = fixture.start();
    Submission waiting =
        engine.submit(
            request("deploy-app", "U_DEPLOYER", "C_OPS", "slack", "app=web", "env=production"));
    String id = ((Submission.AwaitingApproval) waiting).run().id();
    Actor bobAtTerminal = new Actor("U_BOB", "cli", null, "carol", "laptop");
    Decision refused = engine.approve(id, bobAtTerminal);
    assertThat(((Decision.Refused) refused).reason())
        .isEqualTo(new Refusal.ApprovalSourceNotAllowed("production", "cli", List.of("slack")));
    assertThat(engine.refusedAttempts(1).get(0))
        .satisfies(
            e -> {
              assertThat(e.user()).isEqualTo("U_BOB");
              assertThat(e.osUser()).isEqualTo("carol");
              assertThat(e.host()).isEqualTo("laptop");
              assertThat(e.runId()).isEqualTo(id);
            });
    assertThat(engine.run(id).orElseThrow().status()).isEqualTo(RunStatus.WAITING_APPROVAL);
    assertThat(engine.approve(id, Actor.slack("U_BOB", "C_OPS")).accepted()).isTrue();
  }

  @Test
  void onlyTheRequesterApproversOrAdminsCancel() {
    Engine engine = fixture.start();
    Submission waiting =
        engine.submit(
            request("deploy-app", "U_DEPLOYER", "C_OPS", "slack", "app=web", "env=production"));
    String id = ((Submission.AwaitingApproval) waiting).run().id();
    assertThat(((Decision.Refused) engine.cancel(id, "U_MALLORY")).reason())
        .isEqualTo(
            new Refusal.MayNotCancel(
                id,
                "U_DEPLOYER",
                new Approvers(List.of("U_ALICE", "U_BOB", "U_ADMIN"), List.of())));
    assertThat(engine.cancel(id, "U_ADMIN").accepted()).isTrue();
    assertThat(engine.refusedAttempts(5)).extracting(AccessEvent::action).containsExactly("cancel");
  }

  @Test
  void aDecisionFromATerminalReachesTheListenersOfAnotherProcess() throws Exception {
    fixture.config(
        CONFIG
            .replace("#freeze", "")
            .replace("expires_after: 30m", "expires_after: 30m, from: [slack, cli]"));
    Engine slackSide = fixture.start();
    slackSide.followDecisionsMadeElsewhere(Duration.ofMillis(50));
    Submission waiting =
        slackSide.submit(
            request("deploy-app", "U_DEPLOYER", "C_OPS", "slack", "app=web", "env=production"));
    String id = ((Submission.AwaitingApproval) waiting).run().id();
    Engine terminal = fixture.start();
    Decision approved = terminal.approve(id, new Actor("U_BOB", "cli", null, "bob", "build-1"));
    assertThat(approved.accepted()).isTrue();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !fixture.events(RunEvent.DecidedElsewhere.class, id).isEmpty());
    AccessEvent decided = fixture.events(RunEvent.DecidedElsewhere.class, id).get(0).event();
    assertThat(decided.action()).isEqualTo("approve");
    assertThat(decided.user()).isEqualTo("U_BOB");
    assertThat(decided.osUser()).isEqualTo("bob");
    assertThat(decided.host()).isEqualTo("build-1");
  }

  /** A leadership the test hands over itself; counts the looks for decisions made elsewhere. */
  static final class Handover implements io.intentbot.engine.leader.Leadership {
    volatile boolean leading;
    final java.util.concurrent.atomic.AtomicInteger asked =
        new java.util.concurrent.atomic.AtomicInteger();

    Handover(boolean leading) {
      this.leading = leading;
    }

    @Override
    public boolean mayRun(String duty) {
      if (duty.equals("decisions-elsewhere")) {
        asked.incrementAndGet();
      }
      return leading;
    }

    @Override
    public String describe() {
      return "handed over by the test";
    }

    @Override
    public void close() {}
  }

  @Test
  void aDecisionMadeWhileLeadershipChangesHandsReachesTheCardThroughTheNextLeader() {
    fixture.config(
        CONFIG
            .replace("#freeze", "")
            .replace("expires_after: 30m", "expires_after: 30m, from: [slack, cli]"));
    Handover first = new Handover(true);
    Handover second = new Handover(false);
    List<RunEvent> toldByFirst = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<RunEvent> toldBySecond = new java.util.concurrent.CopyOnWriteArrayList<>();
    Engine a = followingElsewhere(first, toldByFirst);
    followingElsewhere(second, toldBySecond);
    Engine terminal = fixture.leadership(new Handover(false)).start();
    String before = waitingInProduction(a);
    String during = waitingInProduction(a);
    Actor bob = new Actor("U_BOB", "cli", null, "bob", "build-1");

    assertThat(terminal.approve(before, bob).accepted()).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> decidedElsewhere(toldByFirst, before));
    first.leading = false;
    assertThat(terminal.approve(during, bob).accepted()).isTrue();
    int asked = second.asked.get();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> second.asked.get() >= asked + 3); // it looked while nobody led
    second.leading = true;

    await().atMost(Duration.ofSeconds(10)).until(() -> decidedElsewhere(toldBySecond, during));
    assertThat(decidedElsewhere(toldByFirst, during)).isFalse();
    assertThat(decidedElsewhere(toldBySecond, before))
        .as("the new leader resumes where the last one left off")
        .isFalse();
  }

  @Test
  void theEndOfARunATerminalTookOverIsToldOnceWhoeverLeads() throws Exception {
    fixture.config(
        CONFIG
            .replace("#freeze", "")
            .replace("expires_after: 30m", "expires_after: 30m, from: [slack, cli]"));
    Handover first = new Handover(true);
    Handover second = new Handover(false);
    List<RunEvent> toldByFirst = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<RunEvent> toldBySecond = new java.util.concurrent.CopyOnWriteArrayList<>();
    Engine a = followingElsewhere(first, toldByFirst);
    followingElsewhere(second, toldBySecond);
    Engine terminal = fixture.leadership(new Handover(false)).start();
    Actor bob = new Actor("U_BOB", "cli", null, "bob", "build-1");
    String inSlack = waitingInProduction(a);
    String tookOver = waitingInProduction(a);

    assertThat(a.approve(inSlack, Actor.slack("U_BOB", "C_OPS")).accepted()).isTrue();
    assertThat(terminal.approve(tookOver, bob).accepted()).isTrue();
    assertThat(terminal.awaitFinished(tookOver, Duration.ofSeconds(10)).orElseThrow().status())
        .isEqualTo(RunStatus.SUCCEEDED);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> finishedElsewhere(toldByFirst, tookOver).size() == 1);
    RunEvent.FinishedElsewhere end = finishedElsewhere(toldByFirst, tookOver).get(0);
    assertThat(end.run().status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(end.rolledBack()).isFalse();

    first.leading = false;
    second.leading = true;
    String afterHandover = waitingInProduction(a);
    assertThat(terminal.approve(afterHandover, bob).accepted()).isTrue();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> finishedElsewhere(toldBySecond, afterHandover).size() == 1);
    assertThat(finishedElsewhere(toldBySecond, tookOver))
        .as("the new leader does not tell a result again")
        .isEmpty();
    assertThat(finishedElsewhere(toldByFirst, tookOver)).hasSize(1);
    assertThat(finishedElsewhere(toldByFirst, inSlack))
        .as("a run approved in Slack ran here and told its own end")
        .isEmpty();
    assertThat(finishedElsewhere(toldBySecond, inSlack)).isEmpty();
  }

  private static List<RunEvent.FinishedElsewhere> finishedElsewhere(
      List<RunEvent> told, String runId) {
    return told.stream()
        .filter(e -> e instanceof RunEvent.FinishedElsewhere f && f.run().id().equals(runId))
        .map(RunEvent.FinishedElsewhere.class::cast)
        .toList();
  }

  private static String waitingInProduction(Engine engine) {
    Submission waiting =
        engine.submit(
            request("deploy-app", "U_DEPLOYER", "C_OPS", "slack", "app=web", "env=production"));
    return ((Submission.AwaitingApproval) waiting).run().id();
  }

  private static boolean decidedElsewhere(List<RunEvent> told, String runId) {
    return told.stream()
        .anyMatch(e -> e instanceof RunEvent.DecidedElsewhere d && d.run().id().equals(runId));
  }

  @Test
  void withoutAccessRulesEveryoneMayRunEverything() {
    fixture.config(EngineFixture.DEFAULT_CONFIG);
    Engine engine = fixture.start();
    assertThat(engine.access().open()).isTrue();
    Submission anyone =
        engine.submit(request("deploy-app", "U_ANYONE", null, "slack", "app=web", "env=sandbox"));
    assertThat(anyone).isInstanceOf(Submission.Started.class);
  }

  /** A replica that follows decisions made elsewhere every 20 ms, telling {@code told}. */
  private Engine followingElsewhere(Handover leadership, List<RunEvent> told) {
    Engine engine = fixture.leadership(leadership).build();
    engine.addListener(told::add);
    engine.start();
    engine.followDecisionsMadeElsewhere(Duration.ofMillis(20));
    return engine;
  }
}
