package io.intentbot.kubernetes.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.intentbot.engine.config.ApprovalPolicy;
import io.intentbot.engine.config.EnvironmentConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.testing.RecordingStepContext;
import io.intentbot.kubernetes.ApiResilience;
import io.intentbot.kubernetes.ClusterAccess;
import io.intentbot.kubernetes.KubernetesClients;
import io.intentbot.kubernetes.ResilientCalls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * A fabric8 mock API server in CRUD mode (with expectations on top, for exec and logs), the clients
 * the step types use, and an admin client with which the test plays the controllers.
 */
public final class MockCluster implements AutoCloseable {

  public static final String NAMESPACE = "shop-staging";
  public static final ApiResilience FAST =
      new ApiResilience(
          3, Duration.ofMillis(10), Duration.ofMillis(40), 50, 4, Duration.ofSeconds(30));

  public final KubernetesMockServer server;

  /** Counts the server's requests, drops the odd one, writes concurrently: see its Javadoc. */
  public final ApiServerDispatcher api;

  /**
   * The API server's {@code pods/ephemeralcontainers} subresource and the kubelet's side of it (run
   * it with {@link #runEphemeralContainers}).
   */
  public final EphemeralContainers ephemeral;

  public final KubernetesClient admin;
  public final KubernetesClients clients;
  public final ResilientCalls calls = new ResilientCalls(FAST);

  /** The clock and scheduler of the step types and of the controllers the test plays. */
  public final VirtualTime time = new VirtualTime();

  /**
   * What the step types are built with: blocking calls run on the test's thread, waits on {@link
   * #time}; run a waiting step with {@code cluster.time.run(step.executeAsync(input, context,
   * cluster.time))}.
   */
  public final ClusterAccess access;

  public MockCluster() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    api = new ApiServerDispatcher(responses);
    server = startServer(responses, api);
    admin = server.createClient();
    ephemeral = api.ephemeralContainers();
    clients = KubernetesClients.fromConfig(admin.getConfiguration());
    access = new ClusterAccess(clients, calls, time.clock(), Runnable::run, time);
    time.settleWith(this::settle);
  }

  /** Arrivals that the watch events counted so far account for. */
  private long settledArrivals;

  /**
   * Before virtual time moves on, the watch events the mock has sent to open watches since last
   * time must have reached the steps' watches and been handed to {@link #time} (a real cluster's
   * events arrive within milliseconds; virtual time would otherwise jump minutes past them). Waits
   * until the arrivals since the last settle cover the events sent since then (many have arrived
   * already by the time the clock would move); at most 1 s, after which time moves on and a late
   * event is seen when it arrives, as a slow watch's would be.
   */
  private void settle() {
    long sent = api.newWatchEvents();
    if (sent == 0) {
      return;
    }
    long target = settledArrivals + sent;
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (time.arrivals() < target && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(200_000L);
    }
    settledArrivals = Math.min(target, time.arrivals());
  }

  /**
   * Plays the kubelet for ephemeral containers every 250 ms of virtual time: each added one starts
   * (or fails) as {@link #ephemeral} says, late.
   */
  public void runEphemeralContainers() {
    ephemeral.every(time, Duration.ofMillis(250), admin, time.clock());
  }

  /** A started mock API server and the dispatcher in front of it. */
  public record Server(KubernetesMockServer server, ApiServerDispatcher api) {}

  /** A started mock API server as {@link #startServer()} makes it, with its dispatcher. */
  public static Server start() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    ApiServerDispatcher api = new ApiServerDispatcher(responses);
    return new Server(startServer(responses, api), api);
  }

  /**
   * A started fabric8 mock API server in CRUD mode, with expectations (exec, logs, errors) answered
   * first, behind an {@link ApiServerDispatcher} (server-side dry runs are not stored).
   */
  public static KubernetesMockServer startServer() {
    return start().server();
  }

  private static KubernetesMockServer startServer(
      Map<ServerRequest, Queue<ServerResponse>> responses,
      io.fabric8.mockwebserver.http.Dispatcher dispatcher) {
    KubernetesMockServer server =
        new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false);
    server.init();
    return server;
  }

  public static EnvironmentConfig staging() {
    return new EnvironmentConfig(
        "staging", "{app}-staging", false, ApprovalPolicy.DEFAULT, null, false, false, Map.of());
  }

  public static IntentbotConfig config(Map<String, Object> raw) {
    return new IntentbotConfig(
        List.of("shop"), Map.of("staging", staging()), Map.of(), Map.of(), raw);
  }

  /** A context for app {@code shop} in environment {@code staging} (namespace shop-staging). */
  public RecordingStepContext context() {
    return new RecordingStepContext(config(Map.of()), staging(), "shop", Path.of("."));
  }

  public RecordingStepContext dryRunContext() {
    return new RecordingStepContext(config(Map.of()), staging(), "shop", Path.of("."), true);
  }

  public static StepInput with(Object... keysAndValues) {
    Map<String, Object> values = new java.util.LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      values.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return StepInput.of(values);
  }

  @Override
  public void close() {
    clients.close();
    admin.close();
    server.destroy();
  }
}
