package io.intentbot.engine.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * How many steps execute at once on threads of their own ({@code limits.processes}): a step past
 * the limit waits its turn without a thread (a future, completed when a running step ends), and its
 * attempts, with their timeout, begin only once it has a slot. A cancel while it waits ends the
 * wait at once; the attempt then sees the cancel and runs nothing. So threads and child processes
 * stay bounded however many runs are queued.
 */
final class StepSlots {

  private final int max;
  private final Deque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
  private int used;

  StepSlots(int max) {
    this.max = max;
  }

  /**
   * Runs {@code work} once a slot is free and frees it when the work's future completes; {@code
   * queued} is told when the step has to wait. A step whose run is cancelled while it waits runs
   * {@code work} without a slot (it only records the cancel).
   */
  <T> CompletableFuture<T> run(
      RunState state, Runnable queued, Supplier<CompletableFuture<T>> work) {
    CompletableFuture<Void> slot = acquire();
    if (!slot.isDone()) {
      queued.run();
      state.cancellation().thenRun(() -> slot.cancel(false));
    }
    return slot.handle((granted, error) -> error == null)
        .thenCompose(
            held -> {
              CompletableFuture<T> done;
              try {
                done = work.get();
              } catch (RuntimeException e) {
                if (held) {
                  release();
                }
                throw e;
              }
              return held ? done.whenComplete((result, error) -> release()) : done;
            });
  }

  /** The output note of a step that waits for a slot. */
  String waitingNote() {
    return "waiting: "
        + max
        + " steps are executing already (limits.processes); this one starts when one ends";
  }

  /** Steps executing now. */
  synchronized int used() {
    return used;
  }

  private synchronized CompletableFuture<Void> acquire() {
    if (used < max) {
      used++;
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> turn = new CompletableFuture<>();
    waiting.add(turn);
    return turn;
  }

  /** Hands the slot to the first step still waiting (a cancelled one gave its place up). */
  private void release() {
    CompletableFuture<Void> next;
    synchronized (this) {
      do {
        next = waiting.poll();
      } while (next != null && next.isDone());
      if (next == null) {
        used--;
        return;
      }
    }
    if (!next.complete(null)) {
      // cancelled between the poll and now: pass the slot on
      release();
    }
  }
}
