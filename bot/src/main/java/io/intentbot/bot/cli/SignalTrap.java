package io.intentbot.bot.cli;

import io.intentbot.engine.Engine;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * SIGINT and SIGTERM for the commands that drive runs ({@code run}, {@code approve}, {@code
 * console}) and for {@code serve} and {@code socket} ({@link ServerShutdown}). The first signal
 * calls {@code onSignal} with it ({@code SIGINT}, {@code SIGTERM}) on the signal's own thread: the
 * command cancels its runs through the engine and waits for them to record it. That happens before
 * the JVM starts shutting down, while the audit database is still open (H2 closes its files in a
 * shutdown hook of its own, so a shutdown hook could not write the cancellation). If the process
 * has not ended {@link #LAST_RESORT} after the signal, it exits with 128 + the signal's number, as
 * a shell reports a signal; so does a second signal, at once.
 *
 * <p>Signals are trapped through {@code sun.misc.Signal} (module jdk.unsupported, in every JDK and
 * JRE), looked up by reflection: compiling against it is a warning javac cannot suppress. Where it
 * is missing, a shutdown hook calls {@code onSignal} instead, as far as the database allows.
 */
final class SignalTrap implements AutoCloseable {

  /** How long after the first signal the process exits whatever happened. */
  static final long LAST_RESORT = 20_000;

  private static final List<String> SIGNALS = List.of("INT", "TERM");

  /** The traps this thread's command installed; {@link #closeCommandTraps()} gives them back. */
  private static final ThreadLocal<List<SignalTrap>> OPEN =
      ThreadLocal.withInitial(java.util.ArrayList::new);

  /**
   * A signal that came.
   *
   * @param name {@code SIGINT}, {@code SIGTERM}
   * @param exitCode 128 + its number, as a shell reports it (0 when caught by the shutdown hook)
   */
  record Caught(String name, int exitCode) {}

  private final Consumer<Caught> onSignal;
  private final AtomicReference<Caught> fired = new AtomicReference<>();
  private Runnable restore = () -> {};

  private SignalTrap(Consumer<Caught> onSignal) {
    this.onSignal = onSignal;
  }

  /** Traps SIGINT and SIGTERM for the rest of this process's life. */
  static SignalTrap install(Consumer<Caught> onSignal) {
    SignalTrap trap = new SignalTrap(onSignal);
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object proxy =
          Proxy.newProxyInstance(
              SignalTrap.class.getClassLoader(), new Class<?>[] {handler}, trap.handler(signal));
      Method handle = signal.getMethod("handle", signal, handler);
      List<Object[]> previous = new java.util.ArrayList<>();
      for (String name : SIGNALS) {
        Object which = signal.getConstructor(String.class).newInstance(name);
        previous.add(new Object[] {which, handle.invoke(null, which, proxy)});
      }
      trap.restore =
          () -> {
            for (Object[] old : previous) {
              try {
                handle.invoke(null, old[0], old[1]);
              } catch (ReflectiveOperationException e) {
                // the process is ending; nothing to restore for
              }
            }
          };
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      LoggerFactory.getLogger(SignalTrap.class)
          .debug("signals not trapped ({}); cancelling from a shutdown hook", e.toString());
      Thread hook = new Thread(() -> trap.fire("SIGINT or SIGTERM", 0), "intentbot-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      trap.restore =
          () -> {
            try {
              Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
              // the hook runs or ran
            }
          };
    }
    OPEN.get().add(trap);
    return trap;
  }

  /**
   * Closes the traps installed on this thread, newest first; the command line calls it once a
   * command has returned, so code that embeds it (tests) gets its own signal handling back.
   */
  static void closeCommandTraps() {
    List<SignalTrap> open = OPEN.get();
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    open.clear();
  }

  /** How long a signalled command waits for its runs to record their cancellation. */
  static final java.time.Duration GRACE = java.time.Duration.ofSeconds(10);

  /**
   * Traps signals for {@code intentbot COMMAND} acting as {@code who}: a signal cancels every run
   * this process executes, recorded as {@code cancelled by WHO (SIGINT to intentbot COMMAND)}, and
   * says so on {@code err}; the command then ends as after any cancelled run. When nothing runs
   * here (the command is still planning, or it prints), the process exits at once.
   */
  static SignalTrap cancelling(Engine engine, String who, String command, PrintWriter err) {
    return install(
        caught -> {
          List<String> cancelled =
              cancel(engine, who + " (" + caught.name() + " to intentbot " + command + ")", err);
          if (cancelled.isEmpty() && caught.exitCode() > 0) {
            System.exit(caught.exitCode());
          }
        });
  }

  /** Cancels every run this process executes as {@code by}, saying so on {@code err}. */
  static List<String> cancel(Engine engine, String by, PrintWriter err) {
    List<String> cancelled = engine.cancelRunsHere(by, GRACE);
    if (!cancelled.isEmpty()) {
      err.println("intentbot: cancelled " + String.join(", ", cancelled) + " (" + by + ")");
      err.flush();
    }
    return cancelled;
  }

  /**
   * Gives the signals back to whoever handled them before (the JVM: exit), once the command no
   * longer drives a run; code that embeds the CLI (tests) keeps its own handling.
   */
  @Override
  public void close() {
    restore.run();
  }

  /** The signal that came, or null. */
  Caught fired() {
    return fired.get();
  }

  private InvocationHandler handler(Class<?> signal) {
    return (proxy, method, args) ->
        switch (method.getName()) {
          case "handle" -> {
            Object which = args[0];
            String name = "SIG" + signal.getMethod("getName").invoke(which);
            int number = (Integer) signal.getMethod("getNumber").invoke(which);
            fire(name, 128 + number);
            yield null;
          }
          case "equals" -> proxy == args[0];
          case "hashCode" -> System.identityHashCode(proxy);
          default -> "SignalTrap";
        };
  }

  private void fire(String name, int exitCode) {
    Caught caught = new Caught(name, exitCode);
    if (!fired.compareAndSet(null, caught)) {
      if (exitCode > 0) {
        System.exit(exitCode);
      }
      return;
    }
    if (exitCode > 0) {
      CompletableFuture.delayedExecutor(LAST_RESORT, TimeUnit.MILLISECONDS)
          .execute(() -> System.exit(exitCode));
    }
    onSignal.accept(caught);
  }
}
