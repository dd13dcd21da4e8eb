package io.intentbot.bot.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.intentbot.bot.slack.SlackLimits;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slack's Web API played by WireMock, for the bot's tests and the benchmarks: answers auth.test,
 * chat.postMessage (a new ts each time), chat.update, chat.postEphemeral, views.open,
 * usergroups.users.list, conversations.info, the file-upload methods and response URLs, and records
 * every call. It refuses what Slack refuses (see {@link #channel}, {@link #rateLimitUpdates}, and
 * {@code msg_too_long} / {@code invalid_blocks} for calls over {@link SlackLimits}); {@link
 * #limitProblems} lists every recorded call over Slack's limits.
 *
 * <p>{@link #rateLimited(Duration)} makes the benchmarks' variant: more server threads, and
 * chat.postMessage and chat.update answer HTTP 429 with {@code Retry-After: 1} to a call that comes
 * sooner than the interval after the last one accepted (as Slack does for about one message per
 * second per channel), recording each of those calls as a {@link MessageCall}.
 */
public final class FakeSlack implements AutoCloseable {

  public final WireMockServer server;
  private final RateLimit limit;
  private final Rules rules = new Rules();

  /** The tests' fake: no rate limit, chat.postMessage answers a random ts. */
  public FakeSlack() {
    this(null);
  }

  /**
   * The benchmarks' fake: chat.postMessage and chat.update let one call through per {@code
   * messageInterval} (zero: all) and answer ts values counted up from 1700000000.000001.
   */
  public static FakeSlack rateLimited(Duration messageInterval) {
    return new FakeSlack(new RateLimit(messageInterval));
  }

  private FakeSlack(RateLimit limit) {
    this.limit = limit;
    server =
        new WireMockServer(
            limit == null
                ? options().dynamicPort().extensions(rules)
                : options()
                    .dynamicPort()
                    .containerThreads(40)
                    .asynchronousResponseEnabled(false)
                    .extensions(limit, rules));
    server.start();
    server.stubFor(
        post(urlEqualTo("/api/auth.test"))
            .willReturn(
                okJson(
                    "{\"ok\":true,\"url\":\"https://t.slack.com/\",\"team\":\"t\",\"user\":\"intentbot\","
                        + "\"team_id\":\"T0TEAM\",\"user_id\":\"U0BOT\",\"bot_id\":\"B0BOT\"}")));
    if (limit == null) {
      stubPostMessageOk();
      server.stubFor(
          post(urlEqualTo("/api/chat.update"))
              .willReturn(okJson("{\"ok\":true}").withTransformers(Rules.NAME)));
    } else {
      for (String method : List.of("chat.postMessage", "chat.update")) {
        server.stubFor(
            post(urlEqualTo("/api/" + method))
                .willReturn(okJson("{\"ok\":true}").withTransformers(RateLimit.NAME)));
      }
    }
    server.stubFor(post(urlEqualTo("/api/chat.postEphemeral")).willReturn(okJson("{\"ok\":true}")));
    server.stubFor(post(urlEqualTo("/api/views.open")).willReturn(okJson("{\"ok\":true}")));
    server.stubFor(
        post(urlEqualTo("/api/usergroups.users.list"))
            .willReturn(okJson("{\"ok\":true,\"users\":[\"U0GROUP\"]}")));
    server.stubFor(
        post(urlPathMatching("/response/.*"))
            .willReturn(aResponse().withStatus(200).withBody("ok")));
    for (String method :
        List.of(
            "conversations.info",
            "conversations.history",
            "files.getUploadURLExternal",
            "files.completeUploadExternal")) {
      server.stubFor(
          post(urlEqualTo("/api/" + method))
              .willReturn(okJson("{\"ok\":true}").withTransformers(Rules.NAME)));
    }
    server.stubFor(
        post(urlPathMatching("/upload/.*")).willReturn(aResponse().withStatus(200).withBody("OK")));
  }

  /** chat.postMessage answered as Slack does (a new ts, or the errors of {@link #channel}). */
  public void stubPostMessageOk() {
    server.stubFor(
        post(urlEqualTo("/api/chat.postMessage"))
            .willReturn(okJson("{\"ok\":true}").withTransformers(Rules.NAME)));
  }

  /** What the bot is to a conversation, as Slack would answer about it. */
  public enum Membership {
    /** The bot is a member (the default for every channel). */
    MEMBER,
    /** A public channel the bot is not in: it may post with chat:write.public. */
    PUBLIC,
    /** A public channel the bot is not in, and the app lacks chat:write.public: not_in_channel. */
    PUBLIC_WITHOUT_SCOPE,
    /** A private channel the bot is not in: channel_not_found for everything. */
    PRIVATE_WITHOUT_BOT,
    /** A direct message between people: channel_not_found for the bot. */
    DM,
    /** A group DM (mpim) between people: channel_not_found for the bot. */
    GROUP_DM,
    /** The app lacks the scope conversations.info needs for this channel: missing_scope. */
    MISSING_SCOPE
  }

  /** From now on Slack answers about {@code channel} as {@code membership} says. */
  public FakeSlack channel(String channel, Membership membership) {
    rules.channels.put(channel, membership);
    return this;
  }

  /**
   * The next {@code calls} calls to chat.update, in any channel, are answered HTTP 429 with {@code
   * Retry-After: seconds} (chat.update is limited per workspace, Tier 3).
   */
  public void rateLimitUpdates(int calls, int seconds) {
    rules.updatesLimited.set(calls);
    rules.retryAfter = seconds;
  }

  /**
   * The next chat.postMessage that Slack accepts is posted (conversations.history lists it) but its
   * answer is lost: HTTP 500, as when a response is cut off after Slack acted.
   */
  public void loseNextPostAnswer() {
    rules.loseNextAnswer.set(true);
  }

  /** Every call this fake received that Slack would refuse for its limits ({@link SlackLimits}). */
  public List<String> limitProblems() {
    List<String> problems = new ArrayList<>();
    for (ServeEvent e : server.getAllServeEvents()) {
      String url = e.getRequest().getUrl();
      String method =
          url.startsWith("/api/")
              ? url.substring(5)
              : url.startsWith("/response/") ? "response_url" : null;
      if (method == null) {
        continue;
      }
      for (String p : SlackLimits.problems(method, form(e.getRequest().getBodyAsString()))) {
        problems.add(url + ": " + p);
      }
    }
    return problems;
  }

  public String apiUrl() {
    return server.baseUrl() + "/api/";
  }

  public String responseUrl(String name) {
    return server.baseUrl() + "/response/" + name;
  }

  /** A recorded call: its form fields and the status it was answered with. */
  public record Call(
      String path, Map<String, String> form, int status, long at, String responseBody) {
    public String get(String key) {
      return form.get(key);
    }
  }

  /**
   * A call to chat.postMessage or chat.update of the {@link #rateLimited} fake: its method, when it
   * came ({@link System#nanoTime()}), its form fields, and whether it was accepted.
   */
  public record MessageCall(
      String method, long atNanos, Map<String, String> form, boolean accepted) {}

  /** Calls to a path, oldest first. */
  public List<Call> calls(String path) {
    return server.getAllServeEvents().stream()
        .filter(e -> e.getRequest().getUrl().startsWith(path))
        .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate()))
        .map(FakeSlack::call)
        .toList();
  }

  /** Calls to a path that were answered 200 with ok:true (or any 200 for response URLs). */
  public List<Call> okCalls(String path) {
    return calls(path).stream()
        .filter(c -> c.status() == 200 && !c.responseBody().contains("\"ok\":false"))
        .toList();
  }

  /** The {@link #rateLimited} fake's calls to chat.postMessage and chat.update, oldest first. */
  public List<MessageCall> messageCalls() {
    if (limit == null) {
      throw new IllegalStateException("only a rateLimited FakeSlack records message calls");
    }
    synchronized (limit.calls) {
      return new ArrayList<>(limit.calls);
    }
  }

  /** Forgets every recorded request (keeps the journal small between phases). */
  public void resetRequests() {
    server.resetRequests();
    if (limit != null) {
      synchronized (limit.calls) {
        limit.calls.clear();
      }
    }
  }

  private static Call call(ServeEvent e) {
    return new Call(
        e.getRequest().getUrl(),
        form(e.getRequest().getBodyAsString()),
        e.getResponse().getStatus(),
        e.getRequest().getLoggedDate().getTime(),
        e.getResponse().getBodyAsString() == null ? "" : e.getResponse().getBodyAsString());
  }

  static Map<String, String> form(String body) {
    Map<String, String> form = new LinkedHashMap<>();
    if (body == null || body.isBlank()) {
      return form;
    }
    if (body.strip().startsWith("{")) {
      form.put("json", body);
      return form;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      form.put(key, value);
    }
    return form;
  }

  @Override
  public void close() {
    server.stop();
  }

  /**
   * Answers chat.postMessage, chat.update, conversations.info and the file-upload methods as Slack
   * does: {@code channel_not_found} / {@code not_in_channel} for the channels set with {@link
   * #channel}, {@code msg_too_long} for text over Slack's limit, {@code invalid_blocks} for blocks
   * over theirs, workspace-wide 429 on chat.update when asked.
   */
  private static final class Rules implements ResponseDefinitionTransformerV2 {
    static final String NAME = "slack-rules";
    final Map<String, Membership> channels = new java.util.concurrent.ConcurrentHashMap<>();
    final java.util.concurrent.atomic.AtomicInteger updatesLimited =
        new java.util.concurrent.atomic.AtomicInteger();
    final AtomicLong ids = new AtomicLong(100);
    volatile int retryAfter = 1;
    final java.util.concurrent.atomic.AtomicBoolean loseNextAnswer =
        new java.util.concurrent.atomic.AtomicBoolean();

    /** Top-level messages posted per channel, newest first, as conversations.history lists them. */
    final Map<String, java.util.Deque<String>> history =
        new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      String url = event.getRequest().getUrl();
      String method = url.substring(url.lastIndexOf('/') + 1);
      Map<String, String> form = form(event.getRequest().getBodyAsString());
      String channel = form.getOrDefault("channel", form.get("channel_id"));
      Membership membership =
          channel == null
              ? Membership.MEMBER
              : channels.getOrDefault(
                  channel, channel.startsWith("D") ? Membership.DM : Membership.MEMBER);
      switch (method) {
        case "conversations.info":
          return switch (membership) {
            case PRIVATE_WITHOUT_BOT, DM, GROUP_DM -> error("channel_not_found");
            case MISSING_SCOPE ->
                json(
                    "{\"ok\":false,\"error\":\"missing_scope\",\"needed\":\"groups:read\","
                        + "\"provided\":\"commands,chat:write\"}");
            default ->
                json(
                    "{\"ok\":true,\"channel\":{\"id\":\""
                        + channel
                        + "\",\"name\":\"ops\",\"is_channel\":true,\"is_group\":false,"
                        + "\"is_im\":false,\"is_mpim\":false,\"is_private\":false,"
                        + "\"is_archived\":false,\"is_member\":"
                        + (membership == Membership.MEMBER)
                        + "}}");
          };
        case "chat.postMessage", "chat.update":
          if (method.equals("chat.update")
              && updatesLimited.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return new ResponseDefinitionBuilder()
                .withStatus(429)
                .withHeader("Retry-After", String.valueOf(retryAfter))
                .withHeader("Content-Type", "application/json")
                .withBody("{\"ok\":false,\"error\":\"ratelimited\"}")
                .build();
          }
          if (membership == Membership.PRIVATE_WITHOUT_BOT
              || membership == Membership.DM
              || membership == Membership.GROUP_DM) {
            return error("channel_not_found");
          }
          if (membership == Membership.PUBLIC_WITHOUT_SCOPE) {
            return error("not_in_channel");
          }
          List<String> problems = SlackLimits.problems(method, form);
          if (!problems.isEmpty()) {
            return error(
                problems.stream().anyMatch(p -> p.contains(": text has "))
                    ? "msg_too_long"
                    : "invalid_blocks");
          }
          String ts =
              method.equals("chat.update")
                  ? form.get("ts")
                  : "1700" + String.format("%06d", ids.incrementAndGet()) + ".000100";
          if (method.equals("chat.postMessage") && form.get("thread_ts") == null) {
            history
                .computeIfAbsent(channel, c -> new java.util.concurrent.ConcurrentLinkedDeque<>())
                .addFirst(
                    "{\"type\":\"message\",\"bot_id\":\"B0BOT\",\"ts\":\""
                        + ts
                        + "\",\"text\":"
                        + quote(form.getOrDefault("text", ""))
                        + "}");
            if (loseNextAnswer.getAndSet(false)) {
              return new ResponseDefinitionBuilder().withStatus(500).withBody("").build();
            }
          }
          return json("{\"ok\":true,\"channel\":\"" + channel + "\",\"ts\":\"" + ts + "\"}");
        case "conversations.history":
          if (membership != Membership.MEMBER) {
            return error(membership == Membership.PUBLIC ? "not_in_channel" : "channel_not_found");
          }
          return json(
              "{\"ok\":true,\"has_more\":false,\"messages\":["
                  + String.join(",", history.getOrDefault(channel, new java.util.ArrayDeque<>()))
                  + "]}");
        case "files.getUploadURLExternal":
          if (form.get("filename") == null || form.get("length") == null) {
            return error("invalid_arguments");
          }
          String file = "F0" + ids.incrementAndGet();
          return json(
              "{\"ok\":true,\"upload_url\":\""
                  + event.getRequest().getAbsoluteUrl().replace(url, "")
                  + "/upload/"
                  + file
                  + "\",\"file_id\":\""
                  + file
                  + "\"}");
        case "files.completeUploadExternal":
          if (membership != Membership.MEMBER && membership != Membership.PUBLIC) {
            return error("channel_not_found");
          }
          return json("{\"ok\":true,\"files\":" + form.getOrDefault("files", "[]") + "}");
        default:
          return json("{\"ok\":true}");
      }
    }

    private static String quote(String text) {
      try {
        return io.intentbot.engine.json.Json.MAPPER.writeValueAsString(text);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    private static ResponseDefinition error(String error) {
      return json("{\"ok\":false,\"error\":\"" + error + "\"}");
    }

    private static ResponseDefinition json(String body) {
      return new ResponseDefinitionBuilder()
          .withStatus(200)
          .withHeader("Content-Type", "application/json; charset=utf-8")
          .withBody(body)
          .build();
    }
  }

  /** Lets one message through per interval; records every call. */
  private static final class RateLimit implements ResponseDefinitionTransformerV2 {
    static final String NAME = "slack-rate-limit";
    private final long intervalNanos;
    private final AtomicLong lastAccepted = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicLong ts = new AtomicLong();
    final List<MessageCall> calls = new ArrayList<>();

    RateLimit(Duration interval) {
      this.intervalNanos = interval.toNanos();
    }

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      long now = System.nanoTime();
      String url = event.getRequest().getUrl();
      String method = url.substring(url.lastIndexOf('/') + 1);
      boolean accepted;
      synchronized (this) {
        accepted = intervalNanos <= 0 || now - lastAccepted.get() >= intervalNanos;
        if (accepted) {
          lastAccepted.set(now);
        }
      }
      synchronized (calls) {
        calls.add(
            new MessageCall(method, now, form(event.getRequest().getBodyAsString()), accepted));
      }
      if (!accepted) {
        return new ResponseDefinitionBuilder()
            .withStatus(429)
            .withHeader("Retry-After", "1")
            .withHeader("Content-Type", "application/json")
            .withBody("{\"ok\":false,\"error\":\"ratelimited\"}")
            .build();
      }
      String stamp = "1700000000." + String.format("%06d", ts.incrementAndGet() % 1_000_000);
      return new ResponseDefinitionBuilder()
          .withStatus(200)
          .withHeader("Content-Type", "application/json")
          .withBody("{\"ok\":true,\"channel\":\"C0BENCH\",\"ts\":\"" + stamp + "\"}")
          .build();
    }
  }
}
