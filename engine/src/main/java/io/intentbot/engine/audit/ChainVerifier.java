package io.intentbot.engine.audit;

import io.intentbot.engine.model.RunRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Walks the hash chain in seq order and recomputes every entry's hash from what is stored now: each
 * sealed run's, and each other entry's ({@link ChainEntry}: a decision, an acknowledgement, an
 * access log entry). It finds rows edited since they were sealed (the run, any of its steps or
 * approvals, added or deleted ones included; a decision, acknowledgement or access log row edited
 * or deleted), entries deleted (a gap in seq, or a tail shorter than the chain head says) and links
 * rewritten. Alone it cannot find a chain rebuilt from scratch, or a tail deleted together with the
 * head, by someone who can write every row: with an {@link AuditKey} it also checks each run's MAC
 * (a rebuild without the key fails), and with an expected {@link ChainHead} kept elsewhere it
 * checks that entry is still there, unchanged (a deleted tail fails).
 */
final class ChainVerifier {

  private final Jdbc jdbc;
  private final Optional<AuditKey> key;

  ChainVerifier(Jdbc jdbc, Optional<AuditKey> key) {
    this.jdbc = jdbc;
    this.key = key;
  }

  VerifyResult verify(Optional<ChainHead> expected) {
    return jdbc.withConnection(
        "verify the audit chain", connection -> verify(connection, expected));
  }

  ChainHead head() {
    return jdbc.withConnection(
        "read the audit chain head",
        connection -> {
          ChainRows.Head head = ChainRows.head(connection);
          return new ChainHead(head.lastSeq(), head.lastHash());
        });
  }

  private VerifyResult verify(Connection connection, Optional<ChainHead> expectedHead)
      throws SQLException {
    ChainRows.Head head = ChainRows.head(connection);
    List<ChainRows.Link> links = ChainRows.links(connection);
    List<String> problems = new ArrayList<>();
    long expected = 1;
    String previousHash = ChainHasher.GENESIS;
    int checked = 0;
    int signed = 0;
    Map<String, Integer> entries = new LinkedHashMap<>();
    Long firstSigned = null;
    boolean expectedSeen = false;
    for (ChainRows.Link link : links) {
      if (link.seq() > head.lastSeq()) {
        break; // sealed after we read the head; checked by the next verify
      }
      checked++;
      entries.merge(kindName(link), 1, Integer::sum);
      if (expectedHead.isPresent() && link.seq() == expectedHead.get().seq()) {
        expectedSeen = true;
        if (!expectedHead.get().hash().equals(link.recordHash())) {
          problems.add(
              link.describe()
                  + " is not the entry expected ("
                  + expectedHead.get()
                  + "): the chain was rewritten from there");
        }
      }
      if (key.isPresent()) {
        if (link.recordMac() != null) {
          firstSigned = firstSigned == null ? link.seq() : firstSigned;
          if (key.get().signed(link.seq(), link.recordHash(), link.recordMac())) {
            signed++;
          } else {
            problems.add(
                link.describe()
                    + " carries a MAC that INTENTBOT_AUDIT_KEY did not make (re-sealed"
                    + " without the key, or another key)");
          }
        } else if (firstSigned != null) {
          problems.add(
              link.describe()
                  + " carries no MAC though records before it do (re-sealed without the key?)");
        }
      }
      if (link.seq() > expected) {
        problems.add(missing(expected, link.seq() - 1));
      } else if (!Objects.equals(link.prevHash(), previousHash)) {
        problems.add(
            link.describe() + " does not follow the record before it (its prev_hash was changed)");
      }
      Optional<String> recomputed = recompute(connection, link);
      if (recomputed.isEmpty()) {
        problems.add(link.describe() + " was deleted after it was sealed");
      } else if (!Objects.equals(recomputed.get(), link.recordHash())) {
        problems.add(link.describe() + " was changed after it was sealed");
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
    if (expectedHead.isPresent() && !expectedSeen) {
      problems.add(
          "the expected entry "
              + expectedHead.get()
              + " is not in the chain (the chain ends at seq "
              + head.lastSeq()
              + "): records were deleted");
    }
    Map<String, Long> outside = new LinkedHashMap<>();
    for (ChainEntry.Kind kind : ChainEntry.Kind.values()) {
      long uncovered = ChainRows.uncovered(connection, kind);
      long legacy = Math.min(uncovered, ChainRows.legacy(connection, kind));
      if (legacy > 0) {
        outside.put(kindName(kind), legacy);
      }
      if (uncovered > legacy) {
        problems.add(
            (uncovered - legacy)
                + " of the "
                + kindName(kind)
                + " carry no chain entry though the store seals every one it writes (inserted"
                + " behind its back?)");
      }
    }
    return new VerifyResult(checked, signed, problems, entries, outside);
  }

  /** The entry's hash from what is stored now; empty when its row is gone. */
  private static Optional<String> recompute(Connection connection, ChainRows.Link link)
      throws SQLException {
    String prev = Objects.requireNonNullElse(link.prevHash(), "");
    if (link.entry() != null) {
      return link.entry()
          .row(connection)
          .map(row -> ChainHasher.hash(prev, link.seq(), link.sealedAt(), link.entry(), row));
    }
    RunRecord run = ChainRows.run(connection, link.runId()).orElseThrow();
    SealedRun sealed = ChainRows.sealed(connection, run, link.seq(), link.sealedAt());
    return Optional.of(ChainHasher.hash(prev, sealed));
  }

  private static String kindName(ChainRows.Link link) {
    return link.entry() == null ? VerifyResult.KINDS.get(0) : kindName(link.entry().kind());
  }

  private static String kindName(ChainEntry.Kind kind) {
    return VerifyResult.KINDS.get(kind.ordinal() + 1);
  }

  private static String missing(long from, long to) {
    return from == to
        ? "record seq " + from + " is missing (deleted?)"
        : "records seq " + from + " to " + to + " are missing (deleted?)";
  }
}
