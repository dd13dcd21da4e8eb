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
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
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
 * mock's real 409 Conflict, and a write that carries none goes through. Pod creates pass the API
 * server's admission first ({@link PodAdmission}: LimitRanger's defaults, ResourceQuota's
 * refusals).
 */
public final class ApiServerDispatcher extends Dispatcher {

  private static final String LOST = "(response lost)";

  private final KubernetesMixedDispatcher inner;
  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger touches = new AtomicInteger();
  private final List<WebSocketListener> watches = new CopyOnWriteArrayList<>();

  /**
   * Watch events sent to the watches still open since the last call. By the time a write's response
   * leaves, the events it causes have been sent: the mock sends them from a thread of its own,
   * which this dispatcher waits for.
   */
  public long newWatchEvents() {
    long sum = 0;
    for (CountingListener listener : open) {
      long now = listener.sent.get();
      sum += now - listener.taken;
      listener.taken = now;
    }
    return sum;
  }

  private final List<CountingListener> open = new CopyOnWriteArrayList<>();

  private final EphemeralContainers ephemeralContainers = new EphemeralContainers();

  /**
   * The {@code pods/ephemeralcontainers} subresource this server serves (the CRUD mock has none),
   * with the kubelet's side of it for the tests to run.
   */
  public EphemeralContainers ephemeralContainers() {
    return ephemeralContainers;
  }

  /** Defaults and checks pod creates against the namespace's LimitRanges and ResourceQuotas. */
  private final PodAdmission admission;

  public ApiServerDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
    this.inner = new KubernetesMixedDispatcher(responses);
    this.admission = new PodAdmission(inner);
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
          forward(request);
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
    PodAdmission.Admitted admitted = admission.admit(request);
    if (admitted.refusal() != null) {
      return admitted.refusal();
    }
    request = admitted.request();
    if (request.getPath().contains("dryRun=All")) {
      return dryRun(request);
    }
    MockResponse response = forward(request);
    if (response.getWebSocketListener() != null) {
      WebSocketListener listener = response.getWebSocketListener();
      watches.add(listener);
      response.withWebSocketUpgrade(new CountingListener(listener));
    } else if (!"GET".equals(request.getMethod())) {
      if (!Boolean.getBoolean("noflush")) watches.forEach(ApiServerDispatcher::flush);
    }
    return response;
  }

  private MockResponse forward(RecordedRequest request) {
    return ephemeralContainers.handles(request)
        ? ephemeralContainers.dispatch(request, inner)
        : inner.dispatch(request);
  }

  /**
   * Closes every open watch from the server's side, as an API server restarting (or a proxy timing
   * out a long request) does: clients must list and watch again.
   */
  public void breakWatches() {
    sockets.forEach(socket -> socket.close(1001, "the API server is going away"));
    sockets.clear();
  }

  private final List<WebSocket> sockets = new CopyOnWriteArrayList<>();

  /**
   * A write with {@code dryRun=All}, as a real API server answers it (the CRUD mock would store
   * it): validated and admitted, returned, not stored. A create of an object that exists gets 409.
   */
  private MockResponse dryRun(RecordedRequest request) {
    String path = request.getPath().replaceAll("[?&]dryRun=All", "").replaceFirst("&", "?");
    String body = request.getUtf8Body();
    if ("POST".equals(request.getMethod())) {
      String name =
          io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                  body, io.fabric8.kubernetes.api.model.GenericKubernetesResource.class)
              .getMetadata()
              .getName();
      MockResponse existing =
          inner.dispatch(
              new RecordedRequest(
                  "HTTP/1.1",
                  HttpMethod.GET,
                  path.replaceFirst("\\?.*", "") + "/" + name,
                  Headers.builder().build(),
                  new Buffer()));
      if (existing.code() == 200) {
        return new MockResponse()
            .setResponseCode(409)
            .setBody(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":409,"
                    + "\"reason\":\"AlreadyExists\",\"message\":\"already exists\"}");
      }
      return new MockResponse().setResponseCode(201).setBody(body);
    }
    return new MockResponse().setResponseCode(200).setBody(body);
  }

  /** Waits until the mock's watch listener has sent what it queued (it sends from its executor). */
  private static void flush(WebSocketListener listener) {
    try {
      java.lang.reflect.Field field = listener.getClass().getDeclaredField("executor");
      field.setAccessible(true);
      var executor = (java.util.concurrent.ScheduledExecutorService) field.get(listener);
      if (!executor.isShutdown()) {
        executor.submit(() -> {}).get(5, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (java.util.concurrent.RejectedExecutionException | ReflectiveOperationException e) {
      // a closed watch, or another mock version: nothing to wait for
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // the watch is stuck: the waiting test notices
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The mock's watch listener, with every message it sends counted. */
  private final class CountingListener extends WebSocketListener {
    private final WebSocketListener inner;
    private final java.util.concurrent.atomic.AtomicLong sent =
        new java.util.concurrent.atomic.AtomicLong();
    private volatile long taken;

    CountingListener(WebSocketListener inner) {
      this.inner = inner;
    }

    private WebSocket counting(WebSocket socket) {
      return new WebSocket() {
        @Override
        public RecordedRequest request() {
          return socket.request();
        }

        @Override
        public boolean send(String text) {
          sent.incrementAndGet();
          return socket.send(text);
        }

        @Override
        public boolean send(byte[] bytes) {
          sent.incrementAndGet();
          return socket.send(bytes);
        }

        @Override
        public boolean close(int code, String reason) {
          return socket.close(code, reason);
        }
      };
    }

    @Override
    public void onBeforeAccept(WebSocket socket, io.fabric8.mockwebserver.http.Response response) {
      inner.onBeforeAccept(counting(socket), response);
    }

    @Override
    public void onOpen(WebSocket socket, io.fabric8.mockwebserver.http.Response response) {
      sockets.add(socket);
      open.add(this);
      inner.onOpen(counting(socket), response);
    }

    @Override
    public void onMessage(WebSocket socket, String text) {
      inner.onMessage(counting(socket), text);
    }

    @Override
    public void onClosing(WebSocket socket, int code, String reason) {
      watches.remove(inner);
      open.remove(this);
      inner.onClosing(counting(socket), code, reason);
    }

    @Override
    public void onClosed(WebSocket socket, int code, String reason) {
      watches.remove(inner);
      open.remove(this);
      inner.onClosed(counting(socket), code, reason);
    }

    @Override
    public void onFailure(
        WebSocket socket, Throwable error, io.fabric8.mockwebserver.http.Response response) {
      watches.remove(inner);
      open.remove(this);
      inner.onFailure(counting(socket), error, response);
    }
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
