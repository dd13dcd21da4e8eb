package io.intentbot.engine.internal;

import io.intentbot.engine.audit.AuditStore;
import io.intentbot.engine.model.Refusal;
import io.intentbot.engine.model.RunRecord;
import java.util.Optional;

/**
 * The refusal for a lock another run holds: the holder, its intent and requester, since when it
 * holds it, and the process executing it, alive or not (a stopped one's run is marked interrupted
 * by the next look, or at once by {@code cancel}).
 */
final class LockRefusals {

  private final AuditStore audit;
  private final Liveness liveness;

  LockRefusals(AuditStore audit, Liveness liveness) {
    this.audit = audit;
    this.liveness = liveness;
  }

  Refusal.LockHeld held(String key, String holder) {
    Optional<RunRecord> run = audit.findRun(holder);
    Optional<Liveness.Owner> owner = liveness.ownerOf(holder);
    return new Refusal.LockHeld(
        key,
        holder,
        run.map(RunRecord::intent).orElse(null),
        run.map(RunRecord::requester).orElse(null),
        run.map(RunRecord::status).orElse(null),
        run.map(r -> r.startedAt() != null ? r.startedAt() : r.createdAt()).orElse(null),
        owner.map(Liveness.Owner::processId).orElse(null),
        owner.map(Liveness.Owner::alive).orElse(null));
  }
}
