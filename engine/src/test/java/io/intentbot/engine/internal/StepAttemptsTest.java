package io.intentbot.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.definition.RetrySpec;
import io.intentbot.engine.step.StepResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The retry and timeout rules of a step, on a scheduler whose time the test moves: no sleeping. */
class StepAttemptsTest {

  final ManualScheduler time = new ManualScheduler();
  final StepAttempts attempts = new StepAttempts(time);
  final RunState state = Runs.running("r-test");
  final List<String> notes = new CopyOnWriteArrayList<>();

  /** Answers each attempt with the next of {@code results}; the last one repeats. */
  static Supplier<CompletableFuture<StepResult>> answers(
      List<CompletableFuture<StepResult>> results) {
    List<CompletableFuture<StepResult>> left = new ArrayList<>(results);
    return () -> left.size() > 1 ? left.remove(0) : left.get(0);
  }

  static CompletableFuture<StepResult> failed(String reason) {
    return CompletableFuture.completedFuture(StepResult.failed(reason));
  }

  static CompletableFuture<StepResult> ok() {
    return CompletableFuture.completedFuture(StepResult.succeeded());
  }

  CompletableFuture<StepAttempts.Attempted> run(
      RetrySpec retry, Duration timeout, Supplier<CompletableFuture<StepResult>> attempt) {
    return attempts.run(
        state, "rollout", "kubernetes.set-image", retry, timeout, attempt, notes::add);
  }

  @Test
  void aFailedResultIsRetriedWithDoublingBackoffUpToItsCap() {
    var done =
        run(
            new RetrySpec(4, Duration.ofSeconds(1), Duration.ofSeconds(3)),
            null,
            answers(List.of(failed("boom"))));

    assertThat(done).isNotDone();
    assertThat(notes).containsExactly("attempt 1 of 4 failed: boom; trying again");
    time.advance(Duration.ofMillis(999));
    assertThat(notes).hasSize(1);
    time.advance(Duration.ofMillis(1));
    assertThat(notes).hasSize(2);
    time.advance(Duration.ofSeconds(5));
    time.advance(Duration.ofSeconds(5));

    assertThat(done).isCompleted();
    StepAttempts.Attempted attempted = done.join();
    assertThat(attempted.attempts()).isEqualTo(4);
    assertThat(attempted.result().reason()).isEqualTo("boom");
    assertThat(time.delays()).containsExactly(1000L, 2000L, 3000L);
    assertThat(notes).hasSize(3).last().isEqualTo("attempt 3 of 4 failed: boom; trying again");
  }

  @Test
  void aLaterAttemptThatSucceedsEndsTheRetries() {
    var done =
        run(
            new RetrySpec(3, Duration.ofMillis(200), Duration.ofMillis(200)),
            null,
            answers(List.of(failed("not yet"), ok())));
    time.advance(Duration.ofMillis(200));

    assertThat(done.join().result().success()).isTrue();
    assertThat(done.join().attempts()).isEqualTo(2);
    assertThat(time.pending()).isZero();
  }

  @Test
  void withoutRetriesAFailureIsFinal() {
    var done = run(RetrySpec.NONE, null, answers(List.of(failed("no"))));

    assertThat(done.join().attempts()).isEqualTo(1);
    assertThat(done.join().result().reason()).isEqualTo("no");
    assertThat(notes).isEmpty();
  }

  @Test
  void anAttemptPastItsTimeoutFailsAndIsStopped() {
    CompletableFuture<StepResult> hanging = new CompletableFuture<>();
    var done = run(RetrySpec.NONE, Duration.ofMillis(300), () -> hanging);

    time.advance(Duration.ofMillis(299));
    assertThat(done).isNotDone();
    time.advance(Duration.ofMillis(1));

    assertThat(done.join().result().reason()).isEqualTo("timed out after 300ms");
    assertThat(hanging)
        .as("completed by the time limiter, which interrupts a blocking step's thread")
        .isCompletedExceptionally();
  }

  @Test
  void aTimedOutAttemptCountsAsFailedAndIsRetriedWithTheFullTimeout() {
    var done =
        run(
            new RetrySpec(2, Duration.ofSeconds(1), Duration.ofSeconds(1)),
            Duration.ofMillis(300),
            answers(List.of(new CompletableFuture<>(), ok())));

    time.advance(Duration.ofMillis(300));
    assertThat(notes).containsExactly("attempt 1 of 2 failed: timed out after 300ms; trying again");
    time.advance(Duration.ofSeconds(1));

    assertThat(done.join().result().success()).isTrue();
    assertThat(done.join().attempts()).isEqualTo(2);
  }

  @Test
  void aCancelledRunIsNotRetried() {
    var done =
        run(
            new RetrySpec(5, Duration.ofSeconds(1), Duration.ofSeconds(1)),
            null,
            answers(List.of(failed("boom"))));
    state.cancel("U_CAROL");
    time.advance(Duration.ofSeconds(1));

    assertThat(done.join().result().reason()).isEqualTo("cancelled by U_CAROL");
    assertThat(done.join().attempts()).isEqualTo(2);
    assertThat(time.pending()).isZero();
  }

  @Test
  void aThrowingStepTypeIsAFailedResult() {
    var done =
        run(
            RetrySpec.NONE,
            null,
            () -> CompletableFuture.failedFuture(new IllegalStateException("bad input")));

    assertThat(done.join().result().reason()).isEqualTo("kubernetes.set-image failed: bad input");
  }
}
