package io.intentbot.bot.slack;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletResponse;

/**
 * Lets at most {@code permits} requests through at once and answers the others 503 with {@code
 * Retry-After: 1} before reading anything: requests whose bodies arrive slowly then hold at most
 * that many threads, and the rest of the server ({@code /healthz}) keeps its threads.
 */
final class BusyGate implements Filter {

  private final Semaphore permits;

  BusyGate(int permits) {
    this.permits = new Semaphore(permits);
  }

  @Override
  public void init(javax.servlet.FilterConfig config) {}

  @Override
  public void destroy() {}

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!permits.tryAcquire()) {
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
}
