package io.intentbot.engine.model;

import java.time.Instant;

/**
 * An approver's acknowledgement, after the fact, of a run that skipped approval (break glass).
 *
 * @param runId the run
 * @param user who acknowledged it
 * @param at when
 * @param note what they said, or null
 */
public record ReviewRecord(String runId, String user, Instant at, String note) {}
