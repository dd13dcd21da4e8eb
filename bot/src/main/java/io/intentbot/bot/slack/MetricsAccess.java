package io.intentbot.bot.slack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Guards {@code /metrics} with a bearer token ({@code INTENTBOT_METRICS_TOKEN}): a scrape without
 * {@code Authorization: Bearer <token>} gets 401, compared in constant time. Metrics name intents,
 * environments and refusal counts, which an outsider should not read.
 */
final class MetricsAccess implements Filter {

  /** The variable the token is read from. */
  static final String VARIABLE = "INTENTBOT_METRICS_TOKEN";

  private final byte[] expected;

  MetricsAccess(String token) {
    this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void init(javax.servlet.FilterConfig config) {}

  @Override
  public void destroy() {}

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String given = ((HttpServletRequest) request).getHeader("Authorization");
    if (given != null
        && MessageDigest.isEqual(expected, given.strip().getBytes(StandardCharsets.UTF_8))) {
      chain.doFilter(request, response);
      return;
    }
    HttpServletResponse http = (HttpServletResponse) response;
    http.setStatus(401);
    http.setHeader("WWW-Authenticate", "Bearer realm=\"intentbot metrics\"");
    http.setContentType("text/plain");
    http.getOutputStream()
        .write(
            ("/metrics needs Authorization: Bearer <" + VARIABLE + ">\n")
                .getBytes(StandardCharsets.UTF_8));
  }
}
