package io.intentbot.engine.audit;

import java.util.List;

/**
 * What became of an approval offered with {@link WaitingRunStore#recordCountedApproval}.
 *
 * @param outcome recorded, or why not
 * @param place the approval's place when recorded (1 for the first, up to the number required), 0
 *     otherwise
 * @param approvedBy who holds the places now, in the order their approvals were recorded
 */
public record CountedApproval(Outcome outcome, int place, List<String> approvedBy) {

  public CountedApproval {
    approvedBy = List.copyOf(approvedBy);
  }

  /** Whether the approval was recorded, or why not. */
  public enum Outcome {
    /** Recorded, at {@code place}. */
    RECORDED,
    /** Every place was taken already (by {@code approvedBy}): nothing recorded. */
    ENOUGH_ALREADY,
    /** This user already approved or rejected the run: nothing recorded. */
    DECIDED_ALREADY,
    /** The run is sealed (it ended): nothing recorded. */
    RUN_SEALED
  }

  public boolean recorded() {
    return outcome == Outcome.RECORDED;
  }
}
