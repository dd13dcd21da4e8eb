package io.intentbot.engine.steps;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.intentbot.engine.step.StepInput;
import io.intentbot.engine.step.StepPlan;
import io.intentbot.engine.step.StepResult;
import io.intentbot.engine.testing.RecordingStepContext;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpStepTypeIT {

  private static WireMockServer server;

  private final HttpStepType http =
      new HttpStepType(OutboundAddresses.allowing("localhost", "127.0.0.1"));
  private final RecordingStepContext context = RecordingStepContext.plain();

  @BeforeAll
  static void startServer() {
    server = new WireMockServer(options().dynamicPort());
    server.start();
  }

  @AfterAll
  static void stopServer() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.resetAll();
  }

  private String url(String path) {
    return server.baseUrl() + path;
  }

  private StepResult run(Map<String, ?> with) throws Exception {
    return http.execute(StepInput.of(with), context);
  }

  @Test
  void aSuccessfulGetGivesStatusBodyAndLatency() throws Exception {
    server.stubFor(
        get("/health").willReturn(aResponse().withStatus(200).withBody("{\"status\":\"UP\"}")));

    StepResult result = run(Map.of("url", url("/health")));

    assertThat(result.success()).isTrue();
    assertThat(result.outputs())
        .containsEntry("status", 200)
        .containsEntry("body", "{\"status\":\"UP\"}")
        .containsEntry("attempts", 1)
        .containsKey("latency_ms");
    assertThat((Long) result.outputs().get("latency_ms")).isNotNegative();
    assertThat(context.lines()).hasSize(1);
    assertThat(context.lines().get(0)).startsWith("GET " + url("/health") + " -> 200 in ");
  }

  @Test
  void anUnexpectedStatusFailsAndNamesWhatWasExpected() throws Exception {
    server.stubFor(get("/health").willReturn(aResponse().withStatus(503)));

    StepResult result = run(Map.of("url", url("/health")));

    assertThat(result.failed()).isTrue();
    assertThat(result.reason())
        .isEqualTo("GET " + url("/health") + ": status 503, expected 200-399");
    assertThat(result.outputs()).containsEntry("status", 503).containsEntry("attempts", 1);
  }

  @Test
  void expectStatusAcceptsCodesClassesAndRanges() throws Exception {
    server.stubFor(get("/missing").willReturn(aResponse().withStatus(404)));
    server.stubFor(get("/created").willReturn(aResponse().withStatus(201)));

    assertThat(run(Map.of("url", url("/missing"), "expect_status", List.of(201, "4xx"))).success())
        .isTrue();
    assertThat(run(Map.of("url", url("/created"), "expect_status", "200-202")).success()).isTrue();
    assertThat(run(Map.of("url", url("/created"), "expect_status", 200)).reason())
        .endsWith("status 201, expected 200");
  }

  @Test
  void redirectsAreSeenAsTheyAre() throws Exception {
    server.stubFor(
        get("/old").willReturn(aResponse().withStatus(302).withHeader("Location", "/new")));

    StepResult result = run(Map.of("url", url("/old")));

    assertThat(result.outputs()).containsEntry("status", 302);
    server.verify(0, getRequestedFor(urlEqualTo("/new")));
  }

  @Test
  void expectBodyContainsChecksTheBody() throws Exception {
    server.stubFor(get("/health").willReturn(aResponse().withStatus(200).withBody("DOWN")));

    StepResult result = run(Map.of("url", url("/health"), "expect_body_contains", "UP"));

    assertThat(result.reason())
        .isEqualTo("GET " + url("/health") + ": status 200 but the body does not contain 'UP'");
  }

  @Test
  void aMappingBodyIsSentAsJsonWithHeaders() throws Exception {
    server.stubFor(post("/hooks/deploy").willReturn(aResponse().withStatus(202)));

    StepResult result =
        run(
            Map.of(
                "url", url("/hooks/deploy"),
                "method", "post",
                "headers", Map.of("X-Team", "sre", "Authorization", "Bearer abc.def.ghi"),
                "body", Map.of("app", "web", "version", "1.4.2")));

    assertThat(result.success()).isTrue();
    server.verify(
        postRequestedFor(urlEqualTo("/hooks/deploy"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withHeader("X-Team", equalTo("sre"))
            .withRequestBody(equalToJson("{\"app\":\"web\",\"version\":\"1.4.2\"}")));
    assertThat(context.secrets()).containsExactly("Bearer abc.def.ghi");
  }

  @Test
  void pollsUntilHealthy() throws Exception {
    server.stubFor(
        get("/health")
            .inScenario("boot")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("warming"));
    server.stubFor(
        get("/health")
            .inScenario("boot")
            .whenScenarioStateIs("warming")
            .willReturn(aResponse().withStatus(200).withBody("STARTING"))
            .willSetStateTo("up"));
    server.stubFor(
        get("/health")
            .inScenario("boot")
            .whenScenarioStateIs("up")
            .willReturn(aResponse().withStatus(200).withBody("UP")));

    StepResult result =
        run(
            Map.of(
                "url", url("/health"),
                "expect_body_contains", "UP",
                "poll", Map.of("interval", "50ms", "timeout", "10s")));

    assertThat(result.success()).isTrue();
    assertThat(result.outputs()).containsEntry("attempts", 3).containsEntry("body", "UP");
    assertThat(context.lines()).hasSize(3);
    assertThat(context.lines().get(0)).contains("-> 503 in ").contains("(attempt 1)");
    assertThat(context.lines().get(2)).contains("-> 200 in ").endsWith("(attempt 3)");
  }

  @Test
  void pollingGivesUpAtTheTimeout() throws Exception {
    server.stubFor(get("/health").willReturn(aResponse().withStatus(503)));

    long start = System.nanoTime();
    StepResult result =
        run(Map.of("url", url("/health"), "poll", Map.of("interval", "100ms", "timeout", "600ms")));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(result.failed()).isTrue();
    int attempts = (Integer) result.outputs().get("attempts");
    assertThat(attempts).isBetween(3, 8);
    assertThat(result.reason())
        .isEqualTo(
            "GET "
                + url("/health")
                + " did not answer as expected within 600ms ("
                + attempts
                + " attempts); last: status 503, expected 200-399");
    assertThat(took).isBetween(Duration.ofMillis(550), Duration.ofSeconds(5));
  }

  @Test
  void aRefusedConnectionIsAFailedAttempt() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    StepResult result = run(Map.of("url", "http://127.0.0.1:" + port + "/health"));

    assertThat(result.reason())
        .isEqualTo("GET http://127.0.0.1:" + port + "/health: connection refused");
    assertThat(result.outputs()).containsEntry("status", 0);
  }

  @Test
  void aSlowAnswerHitsTheRequestTimeout() throws Exception {
    server.stubFor(get("/slow").willReturn(aResponse().withStatus(200).withFixedDelay(3000)));

    StepResult result = run(Map.of("url", url("/slow"), "request_timeout", "200ms"));

    assertThat(result.reason()).isEqualTo("GET " + url("/slow") + ": no answer within 200ms");
  }

  @Test
  void interruptionStopsPollingAtOnce() {
    server.stubFor(get("/health").willReturn(aResponse().withStatus(503)));
    Map<String, Object> with = new LinkedHashMap<>();
    with.put("url", url("/health"));
    with.put("poll", Map.of("interval", "30s", "timeout", "5m"));
    BackgroundStep step = BackgroundStep.start(http, StepInput.of(with), context);
    await().atMost(Duration.ofSeconds(5)).until(() -> context.lines().size() == 1);

    step.interrupt();
    StepResult result = step.await(Duration.ofSeconds(2));

    assertThat(result.reason()).isEqualTo("cancelled: stopped polling " + url("/health"));
    assertThat(result.outputs()).containsEntry("attempts", 1);
    assertThat(step.interruptFlagKept()).isTrue();
  }

  @Test
  void aBadUrlIsAClearFailure() throws Exception {
    assertThat(run(Map.of("url", "ftp://example.org/x")).reason())
        .isEqualTo("'url' must be an absolute http:// or https:// URL, got 'ftp://example.org/x'");
  }

  @Test
  void planSendsNothingAndShowsHeaderNamesOnly() {
    StepPlan plan =
        http.plan(
            StepInput.of(
                Map.of(
                    "url", url("/health"),
                    "headers", Map.of("Authorization", "Bearer s3cr3t"),
                    "expect_status", List.of(200, 204),
                    "poll", Map.of("interval", "5s", "timeout", "2m"))),
            context);

    assertThat(plan.summary()).isEqualTo("would GET " + url("/health"));
    assertThat(plan.details())
        .containsExactly(
            "expect status 200, 204", "poll every 5s for up to 2m", "headers: Authorization");
    assertThat(server.getAllServeEvents()).isEmpty();
  }

  @Test
  void loopbackIsRefusedUnlessAllowedAndNothingIsSent() throws Exception {
    server.stubFor(get("/health").willReturn(aResponse().withStatus(200)));
    HttpStepType strict = new HttpStepType(OutboundAddresses.allowing());
    String loopback = "http://127.0.0.1:" + server.port() + "/health";

    StepResult result = strict.execute(StepInput.of(Map.of("url", loopback)), context);

    assertThat(result.failed()).isTrue();
    assertThat(result.reason())
        .isEqualTo(
            "GET "
                + loopback
                + " refused: 127.0.0.1 is a loopback address: the http step does not reach it"
                + " unless http.allow in config lists it");
    assertThat(server.getAllServeEvents()).isEmpty();
    assertThat(
            new HttpStepType(OutboundAddresses.allowing("127.0.0.0/8"))
                .execute(StepInput.of(Map.of("url", loopback)), context)
                .success())
        .isTrue();
  }

  @Test
  void aNameThatResolvesToTheMetadataAddressIsRefused() throws Exception {
    OutboundAddresses addresses =
        OutboundAddresses.allowing()
            .resolvingWith(host -> new InetAddress[] {InetAddress.getByName("169.254.169.254")});
    HttpStepType strict = new HttpStepType(addresses);

    StepResult result =
        strict.execute(
            StepInput.of(Map.of("url", "http://metadata.google.internal/computeMetadata/v1/")),
            context);

    assertThat(result.reason())
        .isEqualTo(
            "GET http://metadata.google.internal/computeMetadata/v1/ refused:"
                + " metadata.google.internal resolves to 169.254.169.254, which is a link-local"
                + " address (where cloud metadata services answer): the http step does not reach"
                + " it unless http.allow in config lists it");
    assertThat(context.lines()).isEmpty();
  }

  @Test
  void aNameThatStartsResolvingToLoopbackWhilePollingIsRefusedThen() throws Exception {
    server.stubFor(get("/health").willReturn(aResponse().withStatus(503)));
    AtomicInteger lookups = new AtomicInteger();
    OutboundAddresses addresses =
        OutboundAddresses.allowing("127.0.0.1/32")
            .resolvingWith(
                host ->
                    new InetAddress[] {
                      InetAddress.getByName(lookups.incrementAndGet() == 1 ? "127.0.0.1" : "::1")
                    });
    HttpStepType strict = new HttpStepType(addresses);
    Map<String, Object> with = new LinkedHashMap<>();
    with.put("url", "http://rebinding.test:" + server.port() + "/health");
    with.put("poll", Map.of("interval", "1ms", "timeout", "1m"));

    StepResult result = strict.execute(StepInput.of(with), context);

    assertThat(lookups.get()).isEqualTo(2);
    assertThat(result.reason())
        .contains(
            "refused: rebinding.test resolves to 0:0:0:0:0:0:0:1, which is a loopback address");
  }
}
