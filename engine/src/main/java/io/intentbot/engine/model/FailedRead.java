package io.intentbot.engine.model;

/**
 * A read that failed while a run was planned: a step that only reads (a cluster's rollout history,
 * a list of backups) could not read, so the plan does not know what it would have told, and leaves
 * everything that depends on it open instead of filling in a default.
 *
 * @param step the step's id as the plan shows it ({@code history}, {@code newest.list})
 * @param type its step type
 * @param reason why the read failed, as the step type said it
 */
public record FailedRead(String step, String type, String reason) {}
