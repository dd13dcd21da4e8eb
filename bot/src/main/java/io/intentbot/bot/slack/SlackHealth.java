package io.intentbot.bot.slack;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Configuration problems Slack reported ({@code missing_scope}, {@code invalid_auth}, ...), by
 * method, for {@code /healthz} and for the requester; a method's problem is cleared when a call to
 * it succeeds.
 */
public final class SlackHealth {

  private static final Set<String> CONFIGURATION_ERRORS =
      Set.of(
          "missing_scope",
          "not_authed",
          "invalid_auth",
          "account_inactive",
          "token_revoked",
          "token_expired",
          "no_permission",
          "not_allowed_token_type",
          "ekm_access_denied");

  private static final Map<String, SlackHealth> APPS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final Map<String, String> problems = new ConcurrentSkipListMap<>();

  /** Whether Slack answered: unknown until the first call, then the latest answer. */
  public enum Reach {
    UNKNOWN,
    OK,
    UNREACHABLE,
    REJECTED
  }

  private volatile Reach reach = Reach.UNKNOWN;
  private volatile Instant unreachableSince;
  private volatile String why = "";

  /**
   * The health of one Slack app in this process (by API URL and bot token): the group directory the
   * engine uses and the bot share it, though they are built apart.
   */
  public static SlackHealth forApp(SlackSettings settings) {
    return APPS.computeIfAbsent(
        settings.apiUrl() + " " + settings.botToken(), k -> new SlackHealth());
  }

  /** Whether Slack's {@code error} is the app's configuration, not this one call. */
  public static boolean configurationError(String error) {
    return error != null && CONFIGURATION_ERRORS.contains(error);
  }

  /** Records that {@code method} failed for the app's configuration; returns it as one phrase. */
  public String problem(String method, String error, String needed) {
    String text =
        method
            + ": "
            + error
            + (needed == null || needed.isBlank()
                ? ""
                : " (add the scope " + needed + " to the Slack app and reinstall it)");
    problems.put(method, text);
    return text;
  }

  /** A call to {@code method} worked. */
  public void fine(String method) {
    if (!problems.isEmpty()) {
      problems.remove(method);
    }
  }

  /** The current problems, one phrase each. */
  public List<String> problems() {
    return List.copyOf(problems.values());
  }

  /** Slack answered {@code auth.test} with the token accepted. */
  public void reachable() {
    reach = Reach.OK;
    unreachableSince = null;
    why = "";
  }

  /** Slack could not be reached at {@code now} ({@code reason}: the connection error). */
  public synchronized void unreachable(Instant now, String reason) {
    if (reach != Reach.UNREACHABLE) {
      unreachableSince = now;
    }
    reach = Reach.UNREACHABLE;
    why = reason == null ? "" : reason;
  }

  /** Slack refused the token ({@code error}, e.g. {@code invalid_auth}). */
  public void rejected(String error) {
    reach = Reach.REJECTED;
    unreachableSince = null;
    why = error == null ? "" : error;
  }

  public Reach reach() {
    return reach;
  }

  /** The last connection error or Slack's refusal, empty when none. */
  public String why() {
    return why;
  }

  /** How long Slack has been unreachable at {@code now}; zero when it is not. */
  public Duration unreachableFor(Instant now) {
    Instant since = unreachableSince;
    return reach != Reach.UNREACHABLE || since == null
        ? Duration.ZERO
        : Duration.between(since, now);
  }
}
