package io.intentbot.bot.slack;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletResponse;

/**
 * Lets at most {@code permits} requests through at once. One that finds them all taken waits its
 * turn (first come, first served) for at most {@code patience}, and at most {@code queue} wait at
 * once; the others get 503 with {@code Retry-After: 1} before anything is read. A burst of commands
 * is then answered a little later instead of refused (Slack does not retry a slash command), while
 * requests whose bodies arrive slowly hold at most {@code permits + queue} threads, and the rest of
 * the server ({@code /healthz}) keeps its threads.
 */
final class BusyGate implements Filter {

  /** Within Slack's 3 s to acknowledge, leaving a second for the work itself. */
  static final Duration PATIENCE = Duration.ofSeconds(2);

  private final Semaphore permits;
  private final int queue;
  private final long patienceNanos;
  private final AtomicInteger waiting = new AtomicInteger();

  BusyGate(int permits) {
    this(permits, 2 * permits, PATIENCE);
  }

  BusyGate(int permits, int queue, Duration patience) {
    this.permits = new Semaphore(permits, true);
    this.queue = queue;
    this.patienceNanos = patience.toNanos();
  }

  @Override
  public void init(javax.servlet.FilterConfig config) {}

  @Override
  public void destroy() {}

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!admitted()) {
      HttpServletResponse out = (HttpServletResponse) response;
      out.setHeader("Retry-After", "1");
      out.setHeader("Connection", "close");
      JsonError.send(out, 503, "busy");
      return;
    }
    try {
      chain.doFilter(request, response);
    } finally {
      permits.release();
    }
  }

  /** Requests waiting for a permit now. */
  int waiting() {
    return waiting.get();
  }

  private boolean admitted() {
    try {
      // Not tryAcquire(): that one jumps the queue of those already waiting.
      if (permits.tryAcquire(0, TimeUnit.NANOSECONDS)) {
        return true;
      }
      if (waiting.incrementAndGet() > queue) {
        waiting.decrementAndGet();
        return false;
      }
      try {
        return permits.tryAcquire(patienceNanos, TimeUnit.NANOSECONDS);
      } finally {
        waiting.decrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
