package io.intentbot.kubernetes.testing;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mock API server's dispatcher with what a real one adds under load: it counts requests, drops
 * the odd one (an error status instead of an answer) and lets another writer change an object just
 * before a request reaches it, so a write carrying the resourceVersion read before gets the CRUD
 * mock's real 409 Conflict, and a write that carries none goes through.
 */
public final class ApiServerDispatcher extends Dispatcher {

  private static final String LOST = "(response lost)";

  private final KubernetesMixedDispatcher inner;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger touches = new AtomicInteger();

  public ApiServerDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
    this.inner = new KubernetesMixedDispatcher(responses);
  }

  /**
   * The next {@code times} requests whose {@code METHOD path} contains {@code match} get {@code
   * status}.
   */
  public void drop(String method, String match, int times, int status, String retryAfter) {
    rules.add(new Rule(method, match, times, status, retryAfter, null));
  }

  /**
   * The next request {@code METHOD path} containing {@code match} is carried out, but its response
   * is lost: the client gets a 504, as from a proxy that timed out, and may send it again.
   */
  public void loseResponse(String method, String match) {
    rules.add(new Rule(method, match, 1, 504, null, LOST));
  }

  /**
   * Before the next request {@code METHOD path} containing {@code match}, another writer changes
   * the object at {@code objectPath} (an annotation), giving it a new resourceVersion.
   */
  public void concurrentWrite(String method, String match, String objectPath) {
    rules.add(new Rule(method, match, 1, 0, null, objectPath));
  }

  /** Every request so far, as {@code METHOD path}. */
  public List<String> requests() {
    return new ArrayList<>(seen);
  }

  public void resetCount() {
    seen.clear();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String line = request.getMethod() + " " + request.getPath();
    seen.add(line);
    for (Rule rule : rules) {
      if (rule.matches(request.getMethod(), request.getPath()) && rule.take()) {
        if (LOST.equals(rule.objectPath)) {
          inner.dispatch(request);
          return new MockResponse().setResponseCode(504).setBody("upstream request timeout");
        }
        if (rule.objectPath != null) {
          touch(rule.objectPath);
          break;
        }
        MockResponse response =
            new MockResponse()
                .setResponseCode(rule.status)
                .setBody(
                    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":"
                        + rule.status
                        + ",\"message\":\"injected by the test\""
                        + (rule.retryAfter == null
                            ? ""
                            : ",\"details\":{\"retryAfterSeconds\":" + rule.retryAfter + "}")
                        + "}");
        if (rule.retryAfter != null) {
          response.setHeader("Retry-After", rule.retryAfter);
        }
        return response;
      }
    }
    return inner.dispatch(request);
  }

  private void touch(String objectPath) {
    String body =
        "{\"metadata\":{\"annotations\":{\"test.intentbot.io/touched\":\""
            + touches.incrementAndGet()
            + "\"}}}";
    Headers headers = Headers.builder().add("Content-Type", "application/merge-patch+json").build();
    inner.dispatch(
        new RecordedRequest(
            "HTTP/1.1", HttpMethod.PATCH, objectPath, headers, new Buffer().writeUtf8(body)));
  }

  @Override
  public void shutdown() {
    inner.shutdown();
  }

  private static final class Rule {
    final String method;
    final String match;
    final int status;
    final String retryAfter;
    final String objectPath;
    private final AtomicInteger left;

    Rule(String method, String match, int times, int status, String retryAfter, String objectPath) {
      this.method = method;
      this.match = match;
      this.status = status;
      this.retryAfter = retryAfter;
      this.objectPath = objectPath;
      this.left = new AtomicInteger(times);
    }

    boolean matches(String requestMethod, String path) {
      return method.equals(requestMethod) && path.contains(match) && left.get() > 0;
    }

    boolean take() {
      return left.getAndDecrement() > 0;
    }
  }
}
