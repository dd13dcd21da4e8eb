package io.intentbot.engine.steps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.json.Json;
import io.intentbot.engine.step.StepContext;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.step.TypedStepType;
import io.intentbot.engine.text.Durations;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code type: http}: sends a request and checks the answer; with {@code poll} it repeats the
 * request until the answer is as expected or the poll timeout passes ("poll until healthy").
 *
 * <pre>
 * - id: health
 *   type: http
 *   with:
 *     url: "https://${{ params.app }}.example/healthz"
 *     method: GET                      # default GET
 *     headers: { Accept: application/json }
 *     body: { ping: true }             # string as is, mapping or list as JSON
 *     expect_status: [200, "3xx"]      # default 200-399
 *     expect_body_contains: '"status":"UP"'
 *     poll: { interval: 2s, timeout: 60s }
 *     request_timeout: 10s
 * </pre>
 *
 * <p>Outputs: {@code status} (of the last attempt, 0 when no response came), {@code body} (the last
 * response body as UTF-8 text, at most {@value #BODY_LIMIT} bytes), {@code latency_ms} (of the last
 * attempt) and {@code attempts}. Each attempt writes one output line. Redirects are not followed,
 * so a 3xx status is seen as is. Loopback, link-local and cloud metadata addresses are refused
 * unless config's {@code http.allow} lists them ({@link OutboundAddresses}).
 */
public final class HttpStepType extends TypedStepType<HttpStepType.Input> {

  public static final String NAME = "http";
  static final int BODY_LIMIT = 64 * 1024;
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
  static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = Json.MAPPER;
  private static final int PLAN_BODY_CHARS = 500;

  private final HttpClient client;
  private final OutboundAddresses addresses;

  /** Reaches what {@code http.allow} in config allows beyond public addresses. */
  public HttpStepType(IntentbotConfig config) {
    this(OutboundAddresses.from(config));
  }

  public HttpStepType(OutboundAddresses addresses) {
    this(
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build(),
        addresses);
  }

  public HttpStepType(HttpClient client, OutboundAddresses addresses) {
    super(
        NAME,
        "Send an HTTP request and check its status and body; poll until healthy or a timeout",
        Input.class);
    this.client = client;
    this.addresses = addresses;
  }

  /** The {@code with:} block. */
  record Input(
      String url,
      String method,
      Map<String, String> headers,
      Object body,
      List<Object> expectStatus,
      String expectBodyContains,
      Poll poll,
      Duration requestTimeout) {
    Input {
      if (url != null) {
        uri(url);
      }
      method = method == null ? "GET" : method.trim().toUpperCase(Locale.ROOT);
    }

    static URI uri(String url) {
      URI uri;
      try {
        uri = URI.create(url.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("'url' is not a valid URL: '" + url + "'");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "'url' must be an absolute http:// or https:// URL, got '" + url + "'");
      }
      return uri;
    }
  }

  /** {@code poll:} of the {@code with:} block. */
  record Poll(Duration interval, Duration timeout) {}

  @Override
  public Optional<Set<String>> outputs() {
    return Optional.of(Set.of("status", "body", "latency_ms", "attempts"));
  }

  @Override
  protected StepPlan plan(Input input, StepContext context) {
    Call call = Call.from(input);
    List<String> details = new ArrayList<>();
    details.add("expect status " + call.expected());
    call.bodyContains().ifPresent(text -> details.add("expect the body to contain '" + text + "'"));
    if (call.poll()) {
      details.add(
          "poll every "
              + Durations.format(call.interval())
              + " for up to "
              + Durations.format(call.pollTimeout()));
    }
    if (!call.headers().isEmpty()) {
      details.add("headers: " + String.join(", ", call.headers().keySet()));
    }
    if (call.body() != null) {
      String body = call.body();
      details.add(
          "body: "
              + (body.length() > PLAN_BODY_CHARS
                  ? body.substring(0, PLAN_BODY_CHARS) + "... (" + body.length() + " characters)"
                  : body));
    }
    return StepPlan.of("would " + call.method() + " " + call.uri(), details);
  }

  @Override
  protected StepResult execute(Input input, StepContext context) {
    Call call = Call.from(input);
    call.headers()
        .forEach(
            (name, value) -> {
              if (isSecretHeader(name)) {
                context.addSecret(value);
              }
            });
    HttpRequest request = call.request();
    long deadline = System.nanoTime() + call.pollTimeout().toNanos();
    for (int attempt = 1; ; attempt++) {
      java.util.Optional<String> refused = addresses.refusal(call.uri().getHost());
      if (refused.isPresent()) {
        return StepResult.failed(call.method() + " " + call.uri() + " refused: " + refused.get());
      }
      Attempt result;
      try {
        result = send(request, call.requestTimeout());
      } catch (InterruptedException e) {
        return Cancellation.cancelled(call.method() + " " + call.uri() + " was interrupted");
      }
      String problem = result.problem(call);
      context
          .output()
          .line(
              call.method()
                  + " "
                  + call.uri()
                  + " -> "
                  + result.summary()
                  + " in "
                  + result.latencyMillis()
                  + "ms"
                  + (call.poll() ? " (attempt " + attempt + ")" : "")
                  + (problem == null || result.status() == 0 ? "" : ": " + problem));
      Map<String, Object> outputs = result.outputs(attempt);
      if (problem == null) {
        return StepResult.succeeded(outputs);
      }
      long left = deadline - System.nanoTime();
      if (!call.poll() || left <= 0) {
        String what = call.method() + " " + call.uri();
        return StepResult.failed(
            call.poll()
                ? what
                    + " did not answer as expected within "
                    + Durations.format(call.pollTimeout())
                    + " ("
                    + attempt
                    + (attempt == 1 ? " attempt" : " attempts")
                    + "); last: "
                    + problem
                : what + ": " + problem,
            outputs);
      }
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(call.interval().toNanos(), left));
      } catch (InterruptedException e) {
        return Cancellation.cancelled("stopped polling " + call.uri(), outputs);
      }
    }
  }

  private Attempt send(HttpRequest request, Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    CompletableFuture<HttpResponse<byte[]>> future =
        client.sendAsync(request, info -> new CappedBodySubscriber(BODY_LIMIT));
    try {
      HttpResponse<byte[]> response = future.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
      return new Attempt(
          response.statusCode(),
          new String(response.body(), StandardCharsets.UTF_8),
          elapsedMillis(start),
          null);
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    } catch (TimeoutException e) {
      future.cancel(true);
      return new Attempt(0, "", elapsedMillis(start), noAnswer(timeout));
    } catch (ExecutionException e) {
      return new Attempt(0, "", elapsedMillis(start), describe(e.getCause(), timeout));
    }
  }

  private static String describe(Throwable cause, Duration timeout) {
    if (cause instanceof HttpTimeoutException) {
      return noAnswer(timeout);
    }
    if (cause instanceof ConnectException) {
      return "connection refused";
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static String noAnswer(Duration timeout) {
    return "no answer within " + Durations.format(timeout);
  }

  private static long elapsedMillis(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static boolean isSecretHeader(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.contains("authorization")
        || lower.contains("token")
        || lower.contains("secret")
        || lower.contains("api-key")
        || lower.contains("apikey");
  }

  /** One request and what came back (or why nothing did). */
  private record Attempt(int status, String body, long latencyMillis, String error) {

    String summary() {
      return error == null ? String.valueOf(status) : error;
    }

    /** Why this attempt does not meet the expectations, or null when it does. */
    String problem(Call call) {
      if (error != null) {
        return error;
      }
      if (!call.expected().accepts(status)) {
        return "status " + status + ", expected " + call.expected();
      }
      if (call.bodyContains().isPresent() && !body.contains(call.bodyContains().get())) {
        return "status "
            + status
            + " but the body does not contain '"
            + call.bodyContains().get()
            + "'";
      }
      return null;
    }

    Map<String, Object> outputs(int attempts) {
      Map<String, Object> outputs = new LinkedHashMap<>();
      outputs.put("status", status);
      outputs.put("body", body);
      outputs.put("latency_ms", latencyMillis);
      outputs.put("attempts", attempts);
      return outputs;
    }
  }

  /** The validated {@code with:} block. */
  private record Call(
      URI uri,
      String method,
      Map<String, String> headers,
      String body,
      boolean jsonBody,
      ExpectedStatus expected,
      java.util.Optional<String> bodyContains,
      boolean poll,
      Duration interval,
      Duration pollTimeout,
      Duration requestTimeout) {

    static Call from(Input input) {
      URI uri = Input.uri(input.url());
      Object rawBody = input.body();
      String body;
      boolean json = rawBody instanceof Map<?, ?> || rawBody instanceof List<?>;
      if (rawBody == null) {
        body = null;
      } else if (json) {
        try {
          body = JSON.writeValueAsString(rawBody);
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException("'body' cannot be written as JSON: " + e.getMessage());
        }
      } else {
        body = String.valueOf(rawBody);
      }
      Poll poll = input.poll() == null ? new Poll(null, null) : input.poll();
      Duration interval = positive("poll.interval", or(poll.interval(), DEFAULT_POLL_INTERVAL));
      Duration pollTimeout = or(poll.timeout(), DEFAULT_POLL_TIMEOUT);
      return new Call(
          uri,
          input.method(),
          input.headers() == null ? Map.of() : input.headers(),
          body,
          json,
          ExpectedStatus.parse(input.expectStatus() == null ? List.of() : input.expectStatus()),
          java.util.Optional.ofNullable(input.expectBodyContains()),
          input.poll() != null,
          interval,
          input.poll() != null ? pollTimeout : Duration.ZERO,
          positive("request_timeout", or(input.requestTimeout(), DEFAULT_REQUEST_TIMEOUT)));
    }

    private static Duration or(Duration value, Duration fallback) {
      return value == null ? fallback : value;
    }

    private static Duration positive(String field, Duration value) {
      if (value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException("'" + field + "' must be longer than zero");
      }
      return value;
    }

    HttpRequest request() {
      HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout);
      headers.forEach(builder::header);
      if (jsonBody
          && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("content-type"))) {
        builder.header("Content-Type", "application/json");
      }
      builder.method(
          method,
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      return builder.build();
    }
  }
}
