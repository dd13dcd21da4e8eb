package io.intentbot.engine.definition;

import java.time.Duration;

/**
 * {@code lock: "${{ params.app }}/${{ params.env }}"} or {@code lock: { key: …, wait: 10m }}: one
 * run holds the rendered key at a time. A second run is refused, or waits up to {@code waitFor} for
 * the holder to finish.
 */
public record LockSpec(String keyTemplate, Duration waitFor) {

  public boolean waits() {
    return waitFor != null && !waitFor.isZero();
  }
}
