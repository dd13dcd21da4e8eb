package io.intentbot.engine.params;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.Engine;
import io.intentbot.engine.model.RunRecord;
import io.intentbot.engine.model.RunRequest;
import io.intentbot.engine.model.RunStatus;
import io.intentbot.engine.model.Submission;
import io.intentbot.engine.testing.EngineFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Hostile parameter values on their way to a real process ({@code printf %s VALUE} in a shell
 * step): a value is either refused before anything is recorded or run, or it arrives as exactly one
 * argument, byte for byte, never read by a shell or evaluated as an expression.
 */
class ParametersReachProcessesAsDataPropertiesTest {

  static final String ECHO =
      """
      name: echo-arg
      parameters:
        msg: { type: string, required: true }
        count: { type: integer, min: 1, max: 3, default: 1 }
      steps:
        - id: say
          type: shell
          with:
            command: [printf, "%s", "${{ params.msg }}"]
      """;

  private static Path dir;
  private static EngineFixture fixture;
  private static Engine engine;

  @BeforeContainer
  static void start() throws IOException {
    dir = Files.createTempDirectory("argv-properties");
    fixture = new EngineFixture(dir).intent("echo-arg", ECHO);
    engine = fixture.start();
  }

  @AfterContainer
  static void stop() throws IOException {
    fixture.close();
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Provide
  Arbitrary<String> values() {
    return HostileInput.argumentText();
  }

  @Provide
  Arbitrary<String> counts() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of("1", "2", "3", " 2 ")),
        Tuple.of(1, HostileInput.argumentText()));
  }

  @Property(tries = 60)
  void aValueIsRefusedUpFrontOrArrivesAsOneLiteralArgument(
      @ForAll("values") String value, @ForAll("counts") String count) throws Exception {
    int before = engine.history(null, 1000).size();
    Submission submission =
        engine.submit(RunRequest.of("echo-arg", List.of("msg=" + value, "count=" + count), "U1"));

    Statistics.collect(submission.getClass().getSimpleName());
    Statistics.coverage(
        coverage -> {
          coverage.check("Started").percentage(p -> p > 15);
          coverage.check("Invalid").count(n -> n > 0);
        });
    if (submission instanceof Submission.Invalid invalid) {
      assertThat(invalid.errors()).isNotEmpty().allSatisfy(e -> assertThat(e).isNotBlank());
      assertThat(engine.history(null, 1000)).as("nothing recorded, nothing run").hasSize(before);
      return;
    }
    assertThat(submission).isInstanceOf(Submission.Started.class);
    String id = ((Submission.Started) submission).run().id();
    RunRecord run = engine.awaitFinished(id, Duration.ofSeconds(20)).orElseThrow();
    assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
    Object stdout = engine.steps(id).get(0).outputs().get("stdout");
    // Step output is masked like any: credential-shaped text ("passwd=x") shows as "passwd=***".
    assertThat(stdout)
        .as("printf got exactly the value")
        .isEqualTo(new io.intentbot.engine.internal.Redactor().redact(value.trim()));
  }
}
