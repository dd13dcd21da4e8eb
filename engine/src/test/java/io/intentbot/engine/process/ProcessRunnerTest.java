package io.intentbot.engine.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProcessRunnerTest {

  private static final Map<String, String> BOT =
      Map.of(
          "PATH", System.getenv("PATH"),
          "HOME", "/home/bot",
          "SLACK_SIGNING_SECRET", "do-not-leak",
          "INTENTBOT_DB_PASSWORD", "nor-this");

  private final ProcessRunner runner = new ProcessRunner(BOT, Duration.ofMillis(500));
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();

  private ProcessResult run(ProcessRequest request) throws Exception {
    return runner.run(request, stdout::add, stderr::add);
  }

  @Test
  void theChildGetsTheGivenVariablesAndOnlyTheInheritedOnesOfTheBot() throws Exception {
    ProcessResult result =
        run(ProcessRequest.of(List.of("env")).withEnv(Map.of("GREETING", "hej")));

    assertThat(result.exitCode()).isZero();
    assertThat(stdout)
        .contains("GREETING=hej", "HOME=/home/bot", "PATH=" + System.getenv("PATH"))
        .noneMatch(line -> line.startsWith("SLACK_") || line.startsWith("INTENTBOT_"));
    assertThat(stdout).allMatch(line -> line.matches("(GREETING|HOME|PATH|PWD|SHLVL|_)=.*"));
  }

  @Test
  void passingAddsTheNamedVariablesOfTheBotAndNothingElse() throws Exception {
    Map<String, String> bot = new java.util.HashMap<>(BOT);
    bot.put("HTTPS_PROXY", "http://proxy:3128");
    bot.put("AWS_SECRET_ACCESS_KEY", "kept-back");
    ProcessRunner passing =
        new ProcessRunner(bot, Duration.ofMillis(500)).passing(List.of("HTTPS_PROXY"));

    passing.run(ProcessRequest.of(List.of("env")), stdout::add, stderr::add);

    assertThat(stdout).contains("HTTPS_PROXY=http://proxy:3128");
    assertThat(stdout).noneMatch(line -> line.startsWith("AWS_") || line.startsWith("SLACK_"));
  }

  @Test
  void outputIsStreamedLineByLineAndKeptUpToTheLimit() throws Exception {
    ProcessResult result =
        run(
            ProcessRequest.of(List.of("sh", "-c", "echo one; echo two; echo oops >&2; exit 3"))
                .keeping(5));

    assertThat(stdout).containsExactly("one", "two");
    assertThat(stderr).containsExactly("oops");
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.stdout().text()).isEqualTo("one\nt");
    assertThat(result.stdout().truncated()).isTrue();
    assertThat(result.stderr().lastLine()).isEqualTo("oops");
  }

  @Test
  void aMissingProgramCannotStart() {
    assertThatThrownBy(() -> run(ProcessRequest.of(List.of("no-such-program-xyz"))))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void aTimeoutStopsTheProgram() throws Exception {
    long start = System.nanoTime();
    ProcessResult result =
        run(ProcessRequest.of(List.of("sleep", "30")).timeout(Duration.ofMillis(200)));

    assertThat(result.timedOut()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  /**
   * A shell that ignores SIGTERM, with a child that ignores it too: interruption sends SIGTERM to
   * both, waits the grace period, then SIGKILLs both.
   */
  @Test
  void interruptionStopsATreeThatIgnoresSigtermWithSigkillAfterTheGrace() throws Exception {
    String script =
        "trap '' TERM; sh -c 'trap \"\" TERM; echo child $$; while true; do sleep 1; done' &"
            + " echo parent $$; while true; do sleep 1; done";
    AtomicReference<Thread> worker = new AtomicReference<>();
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                run(ProcessRequest.of(List.of("sh", "-c", script)));
                outcome.complete(null);
              } catch (Throwable e) {
                outcome.complete(e);
              }
            });
    worker.set(thread);
    thread.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> stdout.stream().filter(l -> l.matches("(parent|child) \\d+")).count() == 2);
    List<Long> pids =
        stdout.stream()
            .filter(l -> l.matches("(parent|child) \\d+"))
            .map(l -> Long.parseLong(l.substring(l.indexOf(' ') + 1)))
            .toList();
    assertThat(pids)
        .allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

    long start = System.nanoTime();
    worker.get().interrupt();
    Throwable thrown = outcome.get(10, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(thrown).isInstanceOf(ProcessRunner.Stopped.class);
    assertThat(((ProcessRunner.Stopped) thrown).pid())
        .isEqualTo(pids.get(stdout.get(0).startsWith("parent") ? 0 : 1));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400))
        .isLessThan(Duration.ofSeconds(5));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                pids.stream()
                    .noneMatch(
                        pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
  }
}
