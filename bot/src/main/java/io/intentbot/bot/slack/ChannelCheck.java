package io.intentbot.bot.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether the bot can post in a conversation, asked before a run is recorded from it: {@code
 * conversations.info}, a yes cached for {@code ttl} (a no is asked again, so inviting the bot works
 * at once). Members may post; public channels too ({@code chat:write.public}). Direct and group
 * messages are refused (approvers could not see the card), and so are private channels the bot is
 * not in (Slack answers {@code channel_not_found}). When Slack cannot say, the answer is no: a run
 * is never recorded where its thread might go dark.
 */
public final class ChannelCheck {

  /** The answer: {@code problem} is null when the bot can post, else what to tell the user. */
  public record Result(String problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  private static final Result OK = new Result(null);

  private final MethodsClient slack;
  private final SlackRateLimits limits;
  private final SlackHealth health;
  private final List<String> allowedChannels;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Instant> canPost = new ConcurrentHashMap<>();

  public ChannelCheck(
      MethodsClient slack,
      SlackRateLimits limits,
      SlackHealth health,
      List<String> allowedChannels,
      Duration ttl,
      Clock clock) {
    this.slack = slack;
    this.limits = limits;
    this.health = health;
    this.allowedChannels = List.copyOf(allowedChannels);
    this.ttl = ttl;
    this.clock = clock;
  }

  /** Whether the bot can post its thread in {@code channel}. */
  public Result check(String channel) {
    if (channel == null || channel.isBlank()) {
      return new Result(
          "intentbot cannot tell where this came from; type the command in a channel.");
    }
    Instant known = canPost.get(channel);
    if (known != null && known.plus(ttl).isAfter(clock.instant())) {
      return OK;
    }
    if (channel.startsWith("D")) {
      return dm();
    }
    String method = "conversations.info";
    if (!limits.mayCall(method, null)) {
      return new Result(
          "Slack asked intentbot to slow down, so this channel cannot be checked right now;"
              + " nothing was run. Try again in a few seconds.");
    }
    try {
      var response = slack.conversationsInfo(r -> r.channel(channel));
      if (response.isOk()) {
        health.fine(method);
        var c = response.getChannel();
        if (c == null) {
          return unknown("no channel in its answer");
        }
        if (c.isIm() || c.isMpim()) {
          return dm();
        }
        if (c.isArchived()) {
          return new Result("This channel is archived; nothing was run.");
        }
        if (c.isMember() || !c.isPrivate()) {
          canPost.put(channel, clock.instant());
          return OK;
        }
        return invite();
      }
      String error = response.getError();
      if ("channel_not_found".equals(error) || "not_in_channel".equals(error)) {
        return invite();
      }
      if (SlackHealth.configurationError(error)) {
        String problem = health.problem(method, error, response.getNeeded());
        return new Result(
            "intentbot's Slack app is not set up right ("
                + problem
                + "), so nothing was run."
                + " Tell whoever runs intentbot.");
      }
      return unknown(error);
    } catch (SlackApiException e) {
      if (e.getResponse().code() == 429) {
        limits.rateLimited(method, null, e.getResponse().header("Retry-After"));
      }
      return unknown("HTTP " + e.getResponse().code());
    } catch (Exception e) {
      return unknown(e.getClass().getSimpleName());
    }
  }

  private static Result unknown(String why) {
    return new Result(
        "intentbot cannot check this channel right now (Slack: "
            + why
            + "), so nothing was run. Try again in a moment.");
  }

  private static Result invite() {
    return new Result(
        "intentbot is not in this channel, so it could not post the run and its approvals here;"
            + " nothing was run. Invite @intentbot to this channel (`/invite @intentbot`) and try"
            + " again.");
  }

  private Result dm() {
    return new Result(
        "DMs are not supported: use "
            + (allowedChannels.isEmpty()
                ? "a channel where @intentbot is a member"
                : "<#" + allowedChannels.get(0) + ">")
            + ", where approvers can see the run. Nothing was run.");
  }
}
