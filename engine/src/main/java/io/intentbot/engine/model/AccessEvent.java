package io.intentbot.engine.model;

import java.time.Instant;
import java.util.List;

/**
 * One entry of the access log: a refused attempt (who tried what, where, which rule refused), or a
 * decision made outside Slack that chat adapters should show. Neither is a run.
 *
 * @param id order of recording (0 before it is recorded)
 * @param at when
 * @param user the user id acted as
 * @param osUser the operating-system user, or null
 * @param host the host, or null
 * @param source the adapter ({@code slack}, {@code cli}, {@code console}), or null
 * @param channel the channel, or null
 * @param action what was tried: {@code run}, {@code dry-run}, {@code break-glass}, {@code approve},
 *     {@code reject}, {@code cancel}, {@code ack}, {@code act-as}
 * @param intent the intent, or null
 * @param runId the run decided on, or null
 * @param environments the environments it touched
 * @param rule the rule that decided (e.g. {@code access[2]}, {@code break_glass}, {@code
 *     approval.from}), or null
 * @param refused true for a refusal, false for a decision that took effect
 * @param reason the refusal or decision as text
 */
public record AccessEvent(
    long id,
    Instant at,
    String user,
    String osUser,
    String host,
    String source,
    String channel,
    String action,
    String intent,
    String runId,
    List<String> environments,
    String rule,
    boolean refused,
    String reason) {

  public AccessEvent {
    environments = List.copyOf(environments);
  }

  public AccessEvent withId(long newId) {
    return new AccessEvent(
        newId,
        at,
        user,
        osUser,
        host,
        source,
        channel,
        action,
        intent,
        runId,
        environments,
        rule,
        refused,
        reason);
  }
}
