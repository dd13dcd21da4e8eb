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
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  public SlackGroupDirectory(MethodsClient slack, Duration ttl) {
    this(slack, ttl, Clock.systemUTC());
  }

  /** With {@code clock} deciding when cached members are older than {@code ttl}. */
  public SlackGroupDirectory(MethodsClient slack, Duration ttl, Clock clock) {
    this.slack = slack;
    this.ttl = ttl;
    this.clock = clock;
  }

  @Override
  public Set<String> members(String groupId) {
    Entry cached = cache.get(groupId);
    if (cached != null && cached.at().plus(ttl).isAfter(clock.instant())) {
      return cached.members();
    }
    try {
      var response = slack.usergroupsUsersList(r -> r.usergroup(groupId));
      if (response.isOk()) {
        Set<String> members = Set.copyOf(response.getUsers());
        cache.put(groupId, new Entry(members, clock.instant()));
        return members;
      }
      log.warn("usergroups.users.list {}: {}", groupId, response.getError());
    } catch (Exception e) {
      log.warn("usergroups.users.list {}: {}", groupId, e.toString());
    }
    return cached == null ? Set.of() : cached.members();
  }
}
