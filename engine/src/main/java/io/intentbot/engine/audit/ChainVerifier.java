package io.intentbot.engine.audit;

import io.intentbot.engine.model.RunRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Walks the hash chain in seq order and recomputes every sealed run's hash from what is stored now.
 * It finds rows edited since they were sealed (the run, any of its steps or approvals, added or
 * deleted ones included), sealed runs deleted (a gap in seq, or a tail shorter than the chain head
 * says) and links rewritten. It cannot find a chain rebuilt from scratch by someone who can write
 * every row and the head; keep a copy of the head's hash elsewhere for that.
 */
final class ChainVerifier {

  private final Jdbc jdbc;

  ChainVerifier(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  VerifyResult verify() {
    return jdbc.withConnection("verify the audit chain", this::verify);
  }

  private VerifyResult verify(Connection connection) throws SQLException {
    ChainRows.Head head = ChainRows.head(connection);
    List<ChainRows.Link> links = ChainRows.links(connection);
    List<String> problems = new ArrayList<>();
    long expected = 1;
    String previousHash = ChainHasher.GENESIS;
    int checked = 0;
    for (ChainRows.Link link : links) {
      if (link.seq() > head.lastSeq()) {
        break; // sealed after we read the head; checked by the next verify
      }
      checked++;
      if (link.seq() > expected) {
        problems.add(missing(expected, link.seq() - 1));
      } else if (!Objects.equals(link.prevHash(), previousHash)) {
        problems.add(
            describe(link) + " does not follow the record before it (its prev_hash was changed)");
      }
      if (!Objects.equals(recompute(connection, link), link.recordHash())) {
        problems.add(describe(link) + " was changed after it was sealed");
      }
      previousHash = link.recordHash();
      expected = link.seq() + 1;
    }
    if (head.lastSeq() >= expected) {
      problems.add(missing(expected, head.lastSeq()));
    } else if (!Objects.equals(head.lastHash(), previousHash)) {
      problems.add(
          "the chain head does not match the last sealed record (seq " + head.lastSeq() + ")");
    }
    long newest = links.isEmpty() ? 0 : links.get(links.size() - 1).seq();
    if (newest > ChainRows.head(connection).lastSeq()) {
      problems.add(
          "the chain head says seq "
              + head.lastSeq()
              + " is the last, but seq "
              + newest
              + " exists");
    }
    for (String runId : ChainRows.unplacedSeals(connection)) {
      problems.add(
          "run " + runId + " carries a seal but no seq (its place in the chain was removed)");
    }
    return new VerifyResult(checked, problems);
  }

  private static String recompute(Connection connection, ChainRows.Link link) throws SQLException {
    RunRecord run = ChainRows.run(connection, link.runId()).orElseThrow();
    SealedRun sealed = ChainRows.sealed(connection, run, link.seq(), link.sealedAt());
    return ChainHasher.hash(Objects.requireNonNullElse(link.prevHash(), ""), sealed);
  }

  private static String describe(ChainRows.Link link) {
    return "run " + link.runId() + " (seq " + link.seq() + ")";
  }

  private static String missing(long from, long to) {
    return from == to
        ? "record seq " + from + " is missing (deleted?)"
        : "records seq " + from + " to " + to + " are missing (deleted?)";
  }
}
