package io.intentbot.engine.steps;

import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.StepType;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a step on its own thread so a test can interrupt it, as a cancellation would. */
final class BackgroundStep {

  private final Thread thread;
  private final AtomicReference<StepResult> result = new AtomicReference<>();
  private final AtomicBoolean interruptFlagAfter = new AtomicBoolean();

  private BackgroundStep(StepType type, StepInput input, StepContext context) {
    thread =
        new Thread(
            () -> {
              try {
                result.set(type.execute(input, context));
              } catch (InterruptedException e) {
                result.set(StepResult.failed("threw InterruptedException"));
              }
              interruptFlagAfter.set(Thread.currentThread().isInterrupted());
            },
            "background-step");
  }

  static BackgroundStep start(StepType type, StepInput input, StepContext context) {
    BackgroundStep step = new BackgroundStep(type, input, context);
    step.thread.start();
    return step;
  }

  void interrupt() {
    thread.interrupt();
  }

  /** Waits for the step to end, at most {@code limit}, and returns its result. */
  StepResult await(Duration limit) {
    org.awaitility.Awaitility.await().atMost(limit).until(() -> !thread.isAlive());
    return result.get();
  }

  /** Whether the step left its thread's interrupt flag set, so the engine still sees it. */
  boolean interruptFlagKept() {
    return interruptFlagAfter.get();
  }
}
