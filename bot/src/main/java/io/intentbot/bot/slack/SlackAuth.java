package io.intentbot.bot.slack;

import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.middleware.builtin.SingleTeamAuthorization;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.auth.AuthTestResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Slack takes the bot token ({@code auth.test}), asked at start and, while Slack cannot be
 * reached, again with back-off (doubling from {@code firstRetry} up to {@code maxRetry}) on a
 * thread of its own. What it learns goes to {@link SlackHealth}: reachable, unreachable since when,
 * or rejected. A token Slack refuses is {@link SlackTokenRejected}: thrown at start, handed to the
 * listener when found by a retry.
 *
 * <p>Bolt asks {@code auth.test} when its app is built and fails when Slack cannot be reached;
 * {@link #authorization} replaces that step with the answer found here (requests are still verified
 * by their signatures).
 */
final class SlackAuth implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SlackAuth.class);

  /** Slack's errors for a token it refuses; any other error is Slack failing, to try again. */
  static final Set<String> REFUSED =
      Set.of(
          "invalid_auth",
          "not_authed",
          "account_inactive",
          "token_revoked",
          "token_expired",
          "not_allowed_token_type",
          "ekm_access_denied");

  private final MethodsClient methods;
  private final String variable;
  private final SlackHealth health;
  private final Clock clock;
  private final Duration firstRetry;
  private final Duration maxRetry;
  private volatile AuthTestResponse accepted;
  private ScheduledExecutorService retries;

  SlackAuth(
      MethodsClient methods,
      String variable,
      SlackHealth health,
      Clock clock,
      Duration firstRetry,
      Duration maxRetry) {
    this.methods = methods;
    this.variable = variable;
    this.health = health;
    this.clock = clock;
    this.firstRetry = firstRetry;
    this.maxRetry = maxRetry;
  }

  /**
   * Asks Slack now; true when it took the token, false when it could not be reached.
   *
   * @throws SlackTokenRejected when Slack refused the token
   */
  boolean check() {
    try {
      AuthTestResponse response = methods.authTest(r -> r);
      if (response.isOk()) {
        accepted = response;
        health.reachable();
        return true;
      }
      if (!REFUSED.contains(response.getError())) {
        health.unreachable(clock.instant(), "auth.test: " + response.getError());
        return false;
      }
      health.rejected(response.getError());
      throw new SlackTokenRejected(variable, response.getError());
    } catch (IOException e) {
      health.unreachable(clock.instant(), e.toString());
      return false;
    } catch (SlackApiException e) {
      int code = e.getResponse().code();
      if (code == 401 || code == 403) {
        health.rejected("HTTP " + code);
        throw new SlackTokenRejected(variable, "HTTP " + code);
      }
      health.unreachable(clock.instant(), "HTTP " + code);
      return false;
    }
  }

  /**
   * Asks at once; when Slack cannot be reached, says so in one line and keeps asking in the
   * background until it answers. {@code rejected} hears of a token refused by a later answer.
   *
   * @throws SlackTokenRejected when Slack refuses the token now
   */
  synchronized void start(Consumer<SlackTokenRejected> rejected) {
    if (check()) {
      return;
    }
    log.warn("Slack is unreachable ({}): serving anyway, trying again with back-off", health.why());
    retries =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "slack-auth-retry");
              t.setDaemon(true);
              return t;
            });
    schedule(firstRetry, rejected);
  }

  private void schedule(Duration delay, Consumer<SlackTokenRejected> rejected) {
    retries.schedule(
        () -> {
          try {
            if (check()) {
              log.info("Slack is reachable again; the token was accepted");
              return;
            }
          } catch (SlackTokenRejected e) {
            log.error("intentbot: {}", e.getMessage());
            rejected.accept(e);
            return;
          } catch (RuntimeException e) {
            health.unreachable(clock.instant(), e.toString());
          }
          log.debug("Slack still unreachable ({})", health.why());
          Duration next = delay.multipliedBy(2);
          schedule(next.compareTo(maxRetry) > 0 ? maxRetry : next, rejected);
        },
        delay.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Bolt's single-workspace authorization on the answer found here; until there is one, requests
   * (verified by their signature) go through with the configured token.
   */
  SingleTeamAuthorization authorization(AppConfig config) {
    return new SingleTeamAuthorization(config, null) {
      @Override
      protected AuthTestResponse callAuthTest(String token, AppConfig c, MethodsClient client) {
        AuthTestResponse known = accepted;
        if (known != null) {
          return known;
        }
        AuthTestResponse assumed = new AuthTestResponse();
        assumed.setOk(true);
        return assumed;
      }
    };
  }

  @Override
  public synchronized void close() {
    if (retries != null) {
      retries.shutdownNow();
    }
  }
}
