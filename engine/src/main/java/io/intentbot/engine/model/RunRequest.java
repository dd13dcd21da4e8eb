package io.intentbot.engine.model;

import java.util.List;
import java.util.Map;

/**
 * A request to run an intent, as an adapter (Slack, console, CLI) received it.
 *
 * @param intent intent name as typed
 * @param arguments the {@code key=value} tokens as typed (already split, quotes removed)
 * @param requester the user id asking
 * @param dryRun plan only
 * @param breakGlassReason reason to skip waiting for approval, or null
 * @param origin adapter data kept with the run (e.g. {@code source=slack}, {@code channel})
 */
public record RunRequest(
    String intent,
    List<String> arguments,
    String requester,
    boolean dryRun,
    String breakGlassReason,
    Map<String, String> origin) {

  public RunRequest {
    arguments = List.copyOf(arguments);
    origin = Map.copyOf(origin);
    if (requester == null || requester.isBlank()) {
      throw new IllegalArgumentException("a run request needs a requester");
    }
  }

  public static RunRequest of(String intent, List<String> arguments, String requester) {
    return new RunRequest(intent, arguments, requester, false, null, Map.of());
  }

  public RunRequest asDryRun() {
    return new RunRequest(intent, arguments, requester, true, breakGlassReason, origin);
  }

  public RunRequest withOrigin(Map<String, String> newOrigin) {
    return new RunRequest(intent, arguments, requester, dryRun, breakGlassReason, newOrigin);
  }

  public RunRequest withBreakGlass(String reason) {
    return new RunRequest(intent, arguments, requester, dryRun, reason, origin);
  }
}
