package io.intentbot.engine.audit;

import java.time.Instant;

/**
 * The intentbot process that executes a run, as the audit store knows it.
 *
 * @param processId the process's id (see the engine's process ids: {@code pid@host-random})
 * @param startedAt when that process first beat
 * @param heartbeatAt when it last beat
 */
public record RunOwner(String processId, Instant startedAt, Instant heartbeatAt) {}
