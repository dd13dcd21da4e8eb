package io.intentbot.engine.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellStepTypeTest {

  private final ShellStepType shell = new ShellStepType();
  private final RecordingStepContext context = RecordingStepContext.plain();

  private StepResult run(Map<String, ?> with) throws Exception {
    return shell.execute(StepInput.of(with), context);
  }

  @Test
  void runsTheProgramAndStreamsItsOutput() throws Exception {
    StepResult result = run(Map.of("command", List.of("printf", "one\\ntwo\\n")));

    assertThat(result.success()).isTrue();
    assertThat(result.outputs())
        .containsEntry("exit_code", 0)
        .containsEntry("stdout", "one\ntwo")
        .containsEntry("stderr", "");
    assertThat(context.lines()).containsExactly("$ printf 'one\\ntwo\\n'", "one", "two");
  }

  @Test
  void passesArgumentsLiterallyWithoutAShell() throws Exception {
    StepResult result =
        run(Map.of("command", List.of("printf", "%s|", "$(id)", "a; rm -rf x", "*", "`id`")));

    assertThat(result.outputs()).containsEntry("stdout", "$(id)|a; rm -rf x|*|`id`|");
  }

  @Test
  void numbersInTheCommandBecomeArguments() throws Exception {
    StepResult result = run(Map.of("command", List.of("printf", "%s-%s", 7, true)));

    assertThat(result.outputs()).containsEntry("stdout", "7-true");
  }

  @Test
  void aNonZeroExitFailsWithTheCodeAndTheLastStderrLine() throws Exception {
    StepResult result =
        run(Map.of("command", List.of("sh", "-c", "echo first >&2; echo 'disk full' >&2; exit 3")));

    assertThat(result.failed()).isTrue();
    assertThat(result.reason()).isEqualTo("'sh' exited with code 3: disk full");
    assertThat(result.outputs())
        .containsEntry("exit_code", 3)
        .containsEntry("stderr", "first\ndisk full");
    assertThat(context.lines())
        .contains(ShellStepType.STDERR_PREFIX + "first", ShellStepType.STDERR_PREFIX + "disk full");
  }

  @Test
  void aNonZeroExitWithoutStderrSaysSo() throws Exception {
    StepResult result = run(Map.of("command", List.of("sh", "-c", "exit 1")));

    assertThat(result.reason()).isEqualTo("'sh' exited with code 1 (no stderr output)");
  }

  @Test
  void allowFailureKeepsTheStepSucceededWithTheExitCode() throws Exception {
    StepResult result =
        run(Map.of("command", List.of("sh", "-c", "exit 4"), "allow_failure", true));

    assertThat(result.success()).isTrue();
    assertThat(result.outputs()).containsEntry("exit_code", 4);
  }

  @Test
  void aMissingProgramIsAClearFailure() throws Exception {
    StepResult result = run(Map.of("command", List.of("no-such-program-xyz", "--help")));

    assertThat(result.failed()).isTrue();
    assertThat(result.reason()).isEqualTo("program 'no-such-program-xyz' not found");
  }

  @Test
  void aCommandStringIsRefused() throws Exception {
    StepResult result = run(Map.of("command", "echo hi; rm -rf /"));

    assertThat(result.reason())
        .isEqualTo("'command' must be a list of program and arguments, not a string");
  }

  @Test
  void runsInTheWorkdirWithTheGivenEnvironment(@TempDir Path dir) throws Exception {
    StepResult pwd = run(Map.of("command", List.of("pwd"), "workdir", dir.toString()));
    StepResult env =
        run(Map.of("command", List.of("printenv", "GREETING"), "env", Map.of("GREETING", "hej")));

    assertThat(Path.of((String) pwd.outputs().get("stdout")).toRealPath())
        .isEqualTo(dir.toRealPath());
    assertThat(env.outputs()).containsEntry("stdout", "hej");
  }

  @Test
  void aMissingWorkdirIsAClearFailure(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nope");

    StepResult result = run(Map.of("command", List.of("pwd"), "workdir", missing.toString()));

    assertThat(result.reason()).isEqualTo("workdir '" + missing + "' is not a directory");
  }

  @Test
  void registersSecretEnvValuesBeforeWritingAnything() throws Exception {
    StepResult result =
        run(
            Map.of(
                "command", List.of("printenv", "TOKEN"),
                "env", Map.of("TOKEN", "s3cr3t-value", "MODE", "fast"),
                "secret_env", List.of("TOKEN")));

    assertThat(result.success()).isTrue();
    assertThat(context.secrets()).containsExactly("s3cr3t-value");
  }

  @Test
  void secretEnvMayNameAnInheritedVariable() throws Exception {
    String home = System.getenv("HOME");

    run(Map.of("command", List.of("true"), "secret_env", List.of("HOME")));

    assertThat(home).isNotEmpty();
    assertThat(context.secrets()).containsExactly(home);
  }

  @Test
  void planRunsNothing(@TempDir Path dir) {
    Path marker = dir.resolve("marker");

    StepPlan plan =
        shell.plan(StepInput.of(Map.of("command", List.of("touch", marker.toString()))), context);

    assertThat(plan.summary()).isEqualTo("would run: touch " + marker);
    assertThat(marker).doesNotExist();
  }

  @Test
  void capsTheCapturedOutputAtTheLimit() throws Exception {
    StepResult result =
        run(Map.of("command", List.of("printf", "abcdefghij\\nklm\\n"), "output_limit", 4));

    assertThat(result.outputs()).containsEntry("stdout", "abcd");
    assertThat(context.lines()).contains("abcdefghij", "klm");
  }

  @Test
  void streamsLinesWhileTheProgramStillRuns() {
    BackgroundStep step =
        BackgroundStep.start(
            shell,
            StepInput.of(
                Map.of("command", List.of("sh", "-c", "echo first; echo warn >&2; sleep 30"))),
            context);

    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                context
                    .lines()
                    .containsAll(List.of("first", ShellStepType.STDERR_PREFIX + "warn")));
    step.interrupt();
    assertThat(step.await(Duration.ofSeconds(5)).failed()).isTrue();
  }

  @Test
  void interruptionStopsASleepPromptly() {
    BackgroundStep step =
        BackgroundStep.start(
            shell, StepInput.of(Map.of("command", List.of("sleep", "30"))), context);
    ProcessHandle sleep =
        await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> childRunning("sleep"), Optional::isPresent)
            .orElseThrow();

    long start = System.nanoTime();
    step.interrupt();
    StepResult result = step.await(Duration.ofSeconds(5));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    assertThat(result.failed()).isTrue();
    assertThat(result.reason()).startsWith("cancelled");
    assertThat(step.interruptFlagKept()).isTrue();
    await().atMost(Duration.ofSeconds(3)).until(() -> !sleep.isAlive());
  }

  @Test
  void interruptionAlsoStopsTheProgramsChildren() {
    BackgroundStep step =
        BackgroundStep.start(
            shell,
            StepInput.of(Map.of("command", List.of("sh", "-c", "sleep 30 & echo $!; wait"))),
            context);
    long childPid =
        Long.parseLong(
            await()
                .atMost(Duration.ofSeconds(5))
                .until(
                    () -> context.lines().stream().filter(l -> l.matches("\\d+")).findFirst(),
                    Optional::isPresent)
                .orElseThrow());

    step.interrupt();
    assertThat(step.await(Duration.ofSeconds(5)).reason()).startsWith("cancelled");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> ProcessHandle.of(childPid).map(ProcessHandle::isAlive).orElse(false) == false);
  }

  @Test
  void planDescribesTheCommandWithoutSecretValues() {
    StepPlan plan =
        shell.plan(
            StepInput.of(
                Map.of(
                    "command", List.of("deploy", "--note", "two words", "$(x)"),
                    "workdir", "/srv/app",
                    "env", Map.of("MODE", "fast", "TOKEN", "s3cr3t"),
                    "secret_env", List.of("TOKEN"))),
            context);

    assertThat(plan.summary()).isEqualTo("would run: deploy --note 'two words' '$(x)'");
    assertThat(plan.details()).contains("in /srv/app");
    assertThat(String.join("\n", plan.details()))
        .contains("MODE=fast", "TOKEN=***")
        .doesNotContain("s3cr3t");
    assertThat(context.lines()).isEmpty();
  }

  private static Optional<ProcessHandle> childRunning(String program) {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("/" + program)).orElse(false))
        .findFirst();
  }
}
