package io.intentbot.bot.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.bot.testing.TestIntents;
import io.intentbot.engine.testing.EngineFixture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleSessionTest {

  @TempDir Path dir;
  EngineFixture bed;

  @BeforeEach
  void start() throws Exception {
    bed =
        TestIntents.engine(dir, io.intentbot.engine.config.GroupDirectory.NONE)
            .config(
                TestIntents.CONFIG.replace(
                    "expires_after: 30m }", "expires_after: 30m, from: [slack, cli] }"));
    bed.build();
  }

  @Test
  void anUntrustedOsUserCannotSwitchToAnApproverNorApproveWhereOnlySlackMay() throws Exception {
    bed.close();
    bed = TestIntents.engine(dir, io.intentbot.engine.config.GroupDirectory.NONE);
    bed.build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String input = "as U0APPROVER\nhelp\nexit\n";
    ConsoleSession console =
        new ConsoleSession(
            bed.engine(),
            new io.intentbot.bot.chat.ChatUser("os:carol", null, "console", "carol", "laptop"),
            false,
            new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(bytes, true, StandardCharsets.UTF_8),
            Duration.ofSeconds(5));
    bed.started();
    console.run();
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains(
            "! Refused: operating-system user carol may not act as U0APPROVER: only users listed"
                + " in trusted_os_users may use --as; you act as os:carol");
    assertThat(console.user()).isEqualTo("os:carol");
    var refused = bed.engine().refusedAttempts(5);
    assertThat(refused).singleElement().satisfies(e -> assertThat(e.osUser()).isEqualTo("carol"));

    var waiting =
        bed.engine()
            .submit(
                io.intentbot.engine.model.RunRequest.of(
                    "deploy-app", java.util.List.of("app=web", "env=production"), "U0OTHER"));
    String id = ((io.intentbot.engine.model.Submission.AwaitingApproval) waiting).run().id();
    var reply =
        new io.intentbot.bot.chat.CommandHandler(bed.engine(), io.intentbot.bot.chat.Mentions.PLAIN)
            .handle(
                "approve " + id,
                new io.intentbot.bot.chat.ChatUser(
                    "U0APPROVER", null, "console", "approver", "laptop"));
    assertThat(reply.text())
        .contains(
            "approvals of runs in production come from slack only, not from the command line");
  }

  @AfterEach
  void stop() {
    bed.close();
  }

  @Test
  void aRunStreamsInTheBackgroundWhileTheConsoleAnswersStatusCancelAndAnotherRun()
      throws Exception {
    bed.close();
    bed =
        TestIntents.engine(dir, io.intentbot.engine.config.GroupDirectory.NONE)
            .intent(
                "long",
                """
                name: long
                risk: mutating
                parameters:
                  app: { type: app, required: true }
                lock: "${{ params.app }}"
                steps:
                  - id: hold
                    type: wait
                    with: { duration: 10m }
                """);
    bed.build();
    PipedOutputStream typing = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(typing);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleSession session =
        new ConsoleSession(
            bed.engine(), "alice", in, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    bed.started();
    CompletableFuture<Integer> done =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return session.run();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    java.util.function.Supplier<String> said = () -> bytes.toString(StandardCharsets.UTF_8);
    java.util.function.Consumer<String> type =
        line -> {
          try {
            typing.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            typing.flush();
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
        };

    type.accept("long app=web");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> said.get().contains("`hold` (wait) started"));
    Matcher started = Pattern.compile("(r-[a-z0-9]{8})").matcher(said.get());
    assertThat(started.find()).isTrue();
    String id = started.group(1);

    type.accept("status " + id);
    await().atMost(Duration.ofSeconds(20)).until(() -> session.answered() == 2);
    type.accept("deploy-app app=api env=sandbox");
    await().atMost(Duration.ofSeconds(20)).until(() -> session.answered() == 3);
    type.accept("cancel " + id);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                bed.engine().run(id).orElseThrow().status()
                    == io.intentbot.engine.model.RunStatus.CANCELLED);
    assertThat(session.answered()).isEqualTo(4);
    assertThat(done).as("the session still reads").isNotDone();
    type.accept("exit");
    assertThat(done.get(20, java.util.concurrent.TimeUnit.SECONDS)).isZero();

    String text = said.get();
    assertThat(text).contains("cancelling run " + id);
    assertThat(bed.engine().run(id).orElseThrow().reason()).contains("cancelled by alice");
    io.intentbot.engine.model.RunRecord other = bed.engine().history("deploy-app", 1).get(0);
    assertThat(other.createdAt())
        .as("the second run was started while the first one ran")
        .isBefore(bed.engine().run(id).orElseThrow().finishedAt());
    assertThat(other.status())
        .as("exit waited for it")
        .isEqualTo(io.intentbot.engine.model.RunStatus.SUCCEEDED);
  }

  @Test
  void switchingUserToApprove() throws Exception {
    PipedOutputStream typing = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(typing);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ConsoleSession session = new ConsoleSession(bed.engine(), "alice", in, out);
    bed.started();
    CompletableFuture<Integer> done =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return session.run();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    typing.write("deploy-app app=web env=production\n".getBytes(StandardCharsets.UTF_8));
    typing.flush();
    Pattern waits = Pattern.compile("Run `(r-[a-z0-9]+)` waits");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> waits.matcher(bytes.toString(StandardCharsets.UTF_8)).find());
    Matcher m = waits.matcher(bytes.toString(StandardCharsets.UTF_8));
    assertThat(m.find()).isTrue();
    String id = m.group(1);
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("may approve: @U0APPROVER, @U0OTHER, group S0SRE - type `approve " + id + "`");
    typing.write(
        ("approve " + id + "\nas U0APPROVER\napprove " + id + "\nexit\n")
            .getBytes(StandardCharsets.UTF_8));
    typing.flush();
    assertThat(done.get(20, java.util.concurrent.TimeUnit.SECONDS)).isZero();
    assertThat(session.answered()).isEqualTo(4);
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("cannot approve it yourself");
    assertThat(text).contains("You are now U0APPROVER.");
    assertThat(text).contains("Approved by @U0APPROVER");
    assertThat(text).contains("Run succeeded");
    assertThat(session.user()).isEqualTo("U0APPROVER");
  }
}
