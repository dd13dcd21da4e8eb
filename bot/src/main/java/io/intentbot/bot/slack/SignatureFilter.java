package io.intentbot.bot.slack;

import io.intentbot.engine.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ReadListener;
import javax.servlet.ServletException;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletRequestWrapper;
import javax.servlet.http.HttpServletResponse;

/**
 * Refuses with 401 any request to the Slack endpoint whose signature is not Slack's: HMAC-SHA256
 * with the signing secret over {@code v0:timestamp:body}, compared in constant time, and a
 * timestamp within {@code maxSkew} of now in either direction (Bolt checks again behind it). A
 * signed body that is neither a slash command nor a JSON payload gets 400 with a short reason.
 * Slack's {@code ssl_check=1} request (sent when the URL is configured) gets an empty 200.
 *
 * <p>A body over {@code maxBody} bytes gets 413 and the connection is closed: a declared {@code
 * Content-Length} over it before a byte is read, a chunked body as soon as it passes the limit. At
 * most {@code maxBody + 1} bytes are ever held.
 */
final class SignatureFilter implements Filter {

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = Json.MAPPER;

  private final byte[] secret;
  private final Duration maxSkew;
  private final Clock clock;
  private final int maxBody;

  SignatureFilter(String signingSecret, Duration maxSkew, Clock clock) {
    this(signingSecret, maxSkew, clock, HttpLimits.MAX_BODY);
  }

  SignatureFilter(String signingSecret, Duration maxSkew, Clock clock, int maxBody) {
    this.secret = signingSecret.getBytes(StandardCharsets.UTF_8);
    this.maxSkew = maxSkew;
    this.clock = clock;
    this.maxBody = maxBody;
  }

  @Override
  public void init(javax.servlet.FilterConfig config) {}

  @Override
  public void destroy() {}

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    if (http.getContentLengthLong() > maxBody) {
      tooLarge((HttpServletResponse) response);
      return;
    }
    byte[] body = http.getInputStream().readNBytes(maxBody + 1);
    if (body.length > maxBody) {
      tooLarge((HttpServletResponse) response);
      return;
    }
    if (sslCheck(body)) {
      // Slack checking the certificate when the URL is configured: it expects 200, nothing else
      ((HttpServletResponse) response).setStatus(200);
      return;
    }
    if (!valid(
        http.getHeader("X-Slack-Request-Timestamp"), http.getHeader("X-Slack-Signature"), body)) {
      JsonError.send((HttpServletResponse) response, 401, "invalid request");
      return;
    }
    String problem = payloadProblem(body);
    if (problem != null) {
      JsonError.send((HttpServletResponse) response, 400, problem);
      return;
    }
    chain.doFilter(new CachedBody(http, body), response);
  }

  /** 413, and the connection closed rather than the rest of the body read and thrown away. */
  private void tooLarge(HttpServletResponse out) throws IOException {
    out.setHeader("Connection", "close");
    JsonError.send(out, 413, "request body over " + maxBody + " bytes");
    out.flushBuffer();
  }

  /** Slack's {@code ssl_check=1} request (form-encoded, no command, no payload). */
  static boolean sslCheck(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    if (text.startsWith("{") || text.contains("payload=") || text.contains("command=")) {
      return false;
    }
    for (String pair : text.split("&")) {
      if (pair.equals("ssl_check=1")) {
        return true;
      }
    }
    return false;
  }

  /** Why a signed body is not something Slack sends, or null when it looks right. */
  static String payloadProblem(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip();
    if (text.startsWith("{")) {
      return json(text) ? null : "bad payload: not JSON";
    }
    for (String pair : text.split("&")) {
      if (pair.startsWith("payload=")) {
        String payload =
            java.net.URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8);
        return json(payload) ? null : "bad payload: not JSON";
      }
      if (pair.startsWith("command=")) {
        return null;
      }
    }
    return "bad payload: neither a command nor an interaction";
  }

  private static boolean json(String text) {
    try {
      return JSON.readTree(text).isObject();
    } catch (IOException e) {
      return false;
    }
  }

  boolean valid(String timestamp, String signature, byte[] body) {
    if (timestamp == null || signature == null) {
      return false;
    }
    long ts;
    try {
      ts = Long.parseLong(timestamp.strip());
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(clock.instant().getEpochSecond() - ts) > maxSkew.toSeconds()) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.UTF_8));
      String expected = "v0=" + HexFormat.of().formatHex(mac.doFinal(body));
      return MessageDigest.isEqual(
          expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The request with its body read once and served again to the servlet. */
  private static final class CachedBody extends HttpServletRequestWrapper {
    private final byte[] body;

    CachedBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException();
        }
      };
    }

    @Override
    public java.io.BufferedReader getReader() {
      return new java.io.BufferedReader(
          new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }
  }
}
