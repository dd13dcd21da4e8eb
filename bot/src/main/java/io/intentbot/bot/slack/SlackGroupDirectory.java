package io.intentbot.bot.slack;

import com.slack.api.methods.MethodsClient;
import io.intentbot.engine.config.GroupDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approver groups are Slack user groups: members come from {@code usergroups.users.list}, cached
 * for {@code ttl}. When Slack cannot answer, the last known members are used (empty if none).
 */
public final class SlackGroupDirectory implements GroupDirectory {

  private static final Logger log = LoggerFactory.getLogger(SlackGroupDirectory.class);

  private record Entry(Set<String> members, Instant at) {}

  private final MethodsClient slack;
  private final Duration ttl;
  private final Clock clock;
  private final SlackRateLimits limits;
  private final SlackHealth health;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  public SlackGroupDirectory(MethodsClient slack, Duration ttl) {
    this(slack, ttl, Clock.systemUTC());
  }

  /** With {@code clock} deciding when cached members are older than {@code ttl}. */
  public SlackGroupDirectory(MethodsClient slack, Duration ttl, Clock clock) {
    this(slack, ttl, clock, new SlackHealth());
  }

  /**
   * As above, reporting configuration errors ({@code missing_scope}) to {@code health}; a 429's
   * {@code Retry-After} is honoured (cached members meanwhile).
   */
  public SlackGroupDirectory(MethodsClient slack, Duration ttl, Clock clock, SlackHealth health) {
    this.slack = slack;
    this.ttl = ttl;
    this.clock = clock;
    this.limits = new SlackRateLimits(clock);
    this.health = health;
  }

  @Override
  public Set<String> members(String groupId) {
    Entry cached = cache.get(groupId);
    if (cached != null && cached.at().plus(ttl).isAfter(clock.instant())) {
      return cached.members();
    }
    String method = "usergroups.users.list";
    if (!limits.mayCall(method, null)) {
      return cached == null ? Set.of() : cached.members();
    }
    try {
      var response = slack.usergroupsUsersList(r -> r.usergroup(groupId));
      if (response.isOk()) {
        health.fine(method);
        Set<String> members = Set.copyOf(response.getUsers());
        cache.put(groupId, new Entry(members, clock.instant()));
        return members;
      }
      if (SlackHealth.configurationError(response.getError())) {
        health.problem(method, response.getError(), response.getNeeded());
      }
      log.warn("usergroups.users.list {}: {}", groupId, response.getError());
    } catch (com.slack.api.methods.SlackApiException e) {
      if (e.getResponse().code() == 429) {
        limits.rateLimited(method, null, e.getResponse().header("Retry-After"));
      }
      log.warn("usergroups.users.list {}: HTTP {}", groupId, e.getResponse().code());
    } catch (Exception e) {
      log.warn("usergroups.users.list {}: {}", groupId, e.toString());
    }
    return cached == null ? Set.of() : cached.members();
  }
}
