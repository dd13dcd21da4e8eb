package io.intentbot.engine.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link AuditStore#verify()} found: how many entries of the chain were checked, how many of
 * them carry a MAC that the audit key confirmed, every problem (a record edited since it was
 * sealed, one missing from the chain, a MAC the key did not make, an expected head that is gone),
 * and what the chain covers.
 *
 * @param checked entries checked, of every kind
 * @param signed entries whose MAC the key confirmed
 * @param problems what was found, one sentence each
 * @param entries entries checked by kind, in chain order of first appearance: "finished runs",
 *     "decisions" (approvals, rejections, break glass), "acknowledgements", "access log entries"
 * @param outside rows of those kinds that no entry covers because they were written before the
 *     audit store sealed them (an upgraded database: as many as there were then), by kind; only
 *     kinds with some. More rows without an entry than that are a problem.
 */
public record VerifyResult(
    int checked,
    int signed,
    List<String> problems,
    Map<String, Integer> entries,
    Map<String, Long> outside) {

  /** The kinds of entry, as {@link #entries} names them. */
  public static final List<String> KINDS =
      List.of("finished runs", "decisions", "acknowledgements", "access log entries");

  public VerifyResult {
    problems = List.copyOf(problems);
    entries = Map.copyOf(entries);
    outside = Map.copyOf(outside);
  }

  /** A result without MACs checked. */
  public VerifyResult(int checked, List<String> problems) {
    this(checked, 0, problems);
  }

  /** A result that does not break its entries down by kind. */
  public VerifyResult(int checked, int signed, List<String> problems) {
    this(checked, signed, problems, Map.of(), Map.of());
  }

  public boolean intact() {
    return problems.isEmpty();
  }

  /**
   * What the chain covers, for people: each kind of entry with how many were checked, and what it
   * does not cover.
   */
  public List<String> covers(ChainHead head) {
    Map<String, Integer> counted = new LinkedHashMap<>();
    KINDS.forEach(kind -> counted.put(kind, entries.getOrDefault(kind, 0)));
    List<String> parts = new ArrayList<>();
    counted.forEach((kind, n) -> parts.add(n + " " + kind));
    List<String> lines = new ArrayList<>();
    lines.add(
        "covers: "
            + String.join(", ", parts)
            + ", in seq order up to the head "
            + head
            + ": each finished run's row with its steps and"
            + " decisions; each decision (approval, rejection, break glass) as it was recorded;"
            + " each acknowledgement of a break-glass run; each access log entry (refused"
            + " attempts, decisions made from a terminal)");
    String before =
        outside.isEmpty()
            ? ""
            : ", and rows written before this store sealed them ("
                + String.join(
                    ", ",
                    outside.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList())
                + ")";
    lines.add(
        "not covered: runs not finished yet (their row and steps until they end; their decisions"
            + " are covered), heartbeats, leases, locks, the Slack outbox"
            + before);
    return lines;
  }
}
