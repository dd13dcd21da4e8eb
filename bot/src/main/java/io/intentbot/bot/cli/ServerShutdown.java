package io.intentbot.bot.cli;

import java.util.concurrent.atomic.AtomicReference;

/**
 * How {@code serve} and {@code socket} stop: their parts close once, in order (the listener, then
 * the engine, which cancels the runs in progress and records them, then the stores), whoever asks
 * first; a second caller waits until that is done.
 *
 * <p>SIGTERM and SIGINT are trapped ({@link SignalTrap}) and close everything on the signal's
 * thread before the JVM starts shutting down: in a shutdown hook the cancellations raced H2's own
 * close-on-exit hook, which can close the audit database under the engine's last writes (and the
 * default URL cannot turn it off, see {@code AuditStores.defaultUrl}). A shutdown hook still closes
 * them for any other exit. The command ends with 128 + the signal's number, as a shell reports it,
 * once {@link #close()} has returned on its own thread too.
 */
final class ServerShutdown {

  private final Runnable closeAll;
  private final AtomicReference<SignalTrap.Caught> signalled = new AtomicReference<>();
  private boolean closed;

  private ServerShutdown(Runnable closeAll) {
    this.closeAll = closeAll;
  }

  /**
   * Traps SIGTERM and SIGINT and adds the shutdown hook; on a signal, {@code closeAll} runs, then
   * {@code wake} (which lets the command's thread return, when closing does not already).
   */
  static ServerShutdown install(Runnable closeAll, Runnable wake) {
    ServerShutdown shutdown = new ServerShutdown(closeAll);
    SignalTrap.install(
        caught -> {
          shutdown.signalled.compareAndSet(null, caught);
          shutdown.close();
          wake.run();
        });
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown::close, "intentbot-close"));
    return shutdown;
  }

  /** Closes everything, once; returns when it is closed, whichever thread closed it. */
  synchronized void close() {
    if (!closed) {
      closed = true;
      closeAll.run();
    }
  }

  /** 128 + the signal's number when a signal stopped the command, else {@code otherwise}. */
  int exitCode(int otherwise) {
    SignalTrap.Caught caught = signalled.get();
    return caught == null || caught.exitCode() == 0 ? otherwise : caught.exitCode();
  }
}
