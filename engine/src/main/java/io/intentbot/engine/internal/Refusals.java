package io.intentbot.engine.internal;

/** Texts of refusals shared by the engine's pieces. */
final class Refusals {

  private Refusals() {}

  static String noSuchRun(String runId) {
    return "there is no run " + runId + "; `history` lists recent runs";
  }
}
