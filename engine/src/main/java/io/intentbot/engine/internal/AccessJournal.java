package io.intentbot.engine.internal;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.model.AccessEvent;
import io.intentbot.engine.model.Actor;
import io.intentbot.engine.model.Refusal;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes refused attempts and decisions made outside Slack to the access log, and tells the
 * listeners about each refusal (metrics count them). A refusal is recorded even though nothing else
 * about the request is: who tried what, where, and which rule refused.
 */
final class AccessJournal {

  private static final Logger LOG = LoggerFactory.getLogger(AccessJournal.class);

  private final AuditStore audit;
  private final Clock clock;
  private final EventBus events;
  private final AtomicLong refused = new AtomicLong();
  private final Redactor redactor;

  AccessJournal(AuditStore audit, Clock clock, EventBus events, Redactor redactor) {
    this.redactor = redactor;
    this.audit = audit;
    this.clock = clock;
    this.events = events;
  }

  /** Records a refusal of {@code action} and returns it, for the caller to answer with. */
  Refusal refused(
      Actor actor,
      String action,
      String intent,
      String runId,
      List<String> environments,
      Refusal refusal) {
    AccessEvent event =
        audit.recordAccess(
            new AccessEvent(
                0,
                clock.instant(),
                actor.user(),
                actor.osUser(),
                actor.host(),
                actor.source(),
                actor.channel(),
                action,
                intent,
                runId,
                environments,
                rule(refusal, environments),
                true,
                redactor.redact(refusal.describe())));
    refused.incrementAndGet();
    LOG.info(
        "refused {} {} by {} ({}): {}", action, intent, actor.user(), event.rule(), event.reason());
    events.refused(event);
    return refusal;
  }

  /** Records a decision that took effect, for adapters in other processes to show. */
  void decided(Actor actor, String action, String intent, String runId, String reason) {
    audit.recordAccess(
        new AccessEvent(
            0,
            clock.instant(),
            actor.user(),
            actor.osUser(),
            actor.host(),
            actor.source(),
            actor.channel(),
            action,
            intent,
            runId,
            List.of(),
            null,
            false,
            redactor.redact(reason)));
  }

  /** Refusals recorded by this process. */
  long refusedCount() {
    return refused.get();
  }

  /** The config key that decided, for the log and {@code history --refused}. */
  static String rule(Refusal refusal, List<String> environments) {
    String env = environments.isEmpty() ? "" : environments.get(0);
    if (refusal instanceof Refusal.RefusedByPolicy r) {
      return r.rule() == null ? "access" : r.rule();
    }
    if (refusal instanceof Refusal.BreakGlassNotAllowed r) {
      return "environments." + r.environment() + ".break_glass";
    }
    if (refusal instanceof Refusal.BreakGlassNotPermitted r) {
      return "environments." + r.environment() + ".break_glass";
    }
    if (refusal instanceof Refusal.NothingToBypass) {
      return "break_glass";
    }
    if (refusal instanceof Refusal.Frozen r) {
      return "environments." + r.environment() + ".freeze";
    }
    if (refusal instanceof Refusal.ApprovalSourceNotAllowed r) {
      return "environments." + r.environment() + ".approval.from";
    }
    if (refusal instanceof Refusal.LimitReached r) {
      return "limits." + r.limit().key();
    }
    if (refusal instanceof Refusal.UntrustedIdentity) {
      return "trusted_os_users";
    }
    if (refusal instanceof Refusal.MayNotCancel) {
      return "admins";
    }
    if (refusal instanceof Refusal.NotAnApprover r) {
      return "environments." + r.environment() + ".approval";
    }
    if (refusal instanceof Refusal.SelfApproval) {
      return "environments." + env + ".approval.self_approval";
    }
    return refusal.getClass().getSimpleName();
  }
}
