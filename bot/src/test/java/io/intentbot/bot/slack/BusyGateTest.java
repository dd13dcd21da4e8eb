package io.intentbot.bot.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.servlet.DispatcherType;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gate in front of a real Jetty, with one permit and a servlet that holds it on demand. */
class BusyGateTest {

  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch entered = new CountDownLatch(1);
  final HttpClient http = HttpClient.newHttpClient();
  Server server;
  BusyGate gate;
  String url;

  void start(int queue, Duration patience) throws Exception {
    gate = new BusyGate(1, queue, patience);
    server = new Server(0);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(
        new ServletHolder(
            new HttpServlet() {
              @Override
              protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                if (req.getParameter("hold") != null) {
                  entered.countDown();
                  try {
                    release.await(20, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }
                resp.setStatus(200);
              }
            }),
        "/");
    context.addFilter(new FilterHolder(gate), "/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(context);
    server.start();
    url = "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/";
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    server.stop();
  }

  CompletableFuture<HttpResponse<String>> get(String query) {
    return http.sendAsync(
        HttpRequest.newBuilder(URI.create(url + query)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRequestThatFindsThePermitsTakenWaitsItsTurnInsteadOfBeingRefused() throws Exception {
    start(4, Duration.ofSeconds(20));
    var holder = get("?hold=1");
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    var next = get("");
    await().atMost(Duration.ofSeconds(10)).until(() -> gate.waiting() == 1);
    release.countDown();
    assertThat(next.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    assertThat(holder.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void whenTheQueueIsFullTheNextIsRefused503AtOnceWithRetryAfter() throws Exception {
    start(1, Duration.ofSeconds(20));
    get("?hold=1");
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    var queued = get("");
    await().atMost(Duration.ofSeconds(10)).until(() -> gate.waiting() == 1);
    HttpResponse<String> refused = get("").get(10, TimeUnit.SECONDS);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(refused.body()).contains("busy");
    assertThat(queued).as("the queued one still waits for its turn").isNotDone();
    release.countDown();
    assertThat(queued.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  @Test
  void oneThatWaitsLongerThanItsPatienceIsRefused503() throws Exception {
    start(4, Duration.ofMillis(200));
    get("?hold=1");
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(get("").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
    assertThat(gate.waiting()).isZero();
  }
}
