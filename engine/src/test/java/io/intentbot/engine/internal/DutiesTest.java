package io.intentbot.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.leader.Leadership;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The engine's background duties: what each tick does, and only while this process leads it. */
class DutiesTest {

  final List<String> done = new CopyOnWriteArrayList<>();
  final List<Long> periods = new CopyOnWriteArrayList<>();
  final List<Runnable> ticks = new CopyOnWriteArrayList<>();

  /** Records the ticks instead of scheduling them, so the test runs them itself. */
  final ScheduledExecutorService timer =
      new ManualScheduler() {
        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(
            Runnable command, long initialDelay, long delay, TimeUnit unit) {
          periods.add(unit.toMillis(delay));
          ticks.add(command);
          return null;
        }
      };

  static Leadership leading(Set<String> duties) {
    return new Leadership() {
      @Override
      public boolean mayRun(String duty) {
        return duties.contains(duty);
      }

      @Override
      public String describe() {
        return "test";
      }

      @Override
      public void close() {}
    };
  }

  Duties duties(Leadership leadership) {
    return new Duties(
        () -> done.add("beat"),
        () -> done.add("recover"),
        () -> done.add("expire"),
        leadership,
        timer,
        Runnable::run,
        Duration.ofMillis(333),
        Duration.ofSeconds(15));
  }

  @Test
  void nothingHappensBeforeStart() {
    duties(leading(Set.of(Leadership.INTERRUPTED_RUNS)));
    assertThat(done).isEmpty();
    assertThat(ticks).isEmpty();
  }

  @Test
  void startBeatsOnceAndSchedulesTheHeartbeatAndTheExpiry() {
    duties(leading(Set.of())).start();
    assertThat(done).containsExactly("beat");
    assertThat(periods).containsExactly(333L, 15_000L);
  }

  @Test
  void theLeaderRecoversAfterEachBeatAndExpiresApprovals() {
    duties(leading(Set.of(Leadership.INTERRUPTED_RUNS, Leadership.APPROVAL_EXPIRY))).start();
    ticks.forEach(Runnable::run);
    assertThat(done).containsExactly("beat", "beat", "recover", "expire");
  }

  @Test
  void aFollowerOnlyBeats() {
    duties(leading(Set.of())).start();
    ticks.forEach(Runnable::run);
    assertThat(done).containsExactly("beat", "beat");
  }

  @Test
  void aFailingDutyDoesNotStopTheTicks() {
    Duties failing =
        new Duties(
            () -> done.add("beat"),
            () -> {
              throw new IllegalStateException("database gone");
            },
            () -> {
              throw new IllegalStateException("database gone");
            },
            leading(Set.of(Leadership.INTERRUPTED_RUNS, Leadership.APPROVAL_EXPIRY)),
            timer,
            Runnable::run,
            Duration.ofMillis(333),
            Duration.ofSeconds(15));
    failing.start();
    ticks.forEach(Runnable::run);
    ticks.forEach(Runnable::run);
    assertThat(done).containsExactly("beat", "beat", "beat");
  }
}
