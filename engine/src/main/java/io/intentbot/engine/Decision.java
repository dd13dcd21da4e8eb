package io.intentbot.engine;

import io.intentbot.engine.audit.RunRecord;

/**
 * The answer to an approve, reject or cancel: whether it took effect and a message for the person
 * who asked. When it did not, {@code message} says why (who may approve, the run already started,
 * the plan changed since it was shown).
 *
 * @param accepted whether the decision was recorded
 * @param message for the person
 * @param run the run after the decision, or null when the run does not exist
 */
public record Decision(boolean accepted, String message, RunRecord run) {

  public static Decision accepted(String message, RunRecord run) {
    return new Decision(true, message, run);
  }

  public static Decision refused(String message, RunRecord run) {
    return new Decision(false, message, run);
  }
}
