package io.intentbot.engine.audit;

import io.intentbot.engine.model.ApprovalRecord;
import io.intentbot.engine.model.RunStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link WaitingRunStore} on the audit database's {@code plan_inputs} and {@code run_secrets}.
 */
final class JdbcWaitingRunStore implements WaitingRunStore {

  private final Jdbc jdbc;
  private final ChainSealer sealer;

  JdbcWaitingRunStore(Jdbc jdbc, ChainSealer sealer) {
    this.jdbc = jdbc;
    this.sealer = sealer;
  }

  @Override
  public void savePlanInputs(String runId, Map<String, String> digests) {
    jdbc.inTransaction(
        "record the plan inputs of run " + runId,
        connection -> {
          for (Map.Entry<String, String> input : digests.entrySet()) {
            Jdbc.update(
                connection,
                "INSERT INTO plan_inputs (run_id, name, digest) VALUES (?, ?, ?)",
                runId,
                input.getKey(),
                input.getValue());
          }
          return null;
        });
  }

  @Override
  public Map<String, String> planInputs(String runId) {
    Map<String, String> digests = new LinkedHashMap<>();
    jdbc.withConnection(
        "read the plan inputs of run " + runId,
        connection ->
            Jdbc.query(
                connection,
                "SELECT name, digest FROM plan_inputs WHERE run_id = ? ORDER BY name",
                row -> digests.put(row.getString("name"), row.getString("digest")),
                runId));
    return digests;
  }

  @Override
  public CountedApproval recordCountedApproval(
      ApprovalRecord approval,
      int required,
      java.util.function.Consumer<CountedApproval> whileHeld) {
    return jdbc.inTransaction(
        "record an approval of run " + approval.runId(),
        connection -> {
          ChainRows.Head head = ChainRows.lockHead(connection);
          if (!SealGuard.lockOpenRun(connection, approval.runId())) {
            return new CountedApproval(CountedApproval.Outcome.RUN_SEALED, 0, List.of());
          }
          List<String> placed = new ArrayList<>();
          boolean decided = false;
          for (Decided row : decided(connection, approval.runId())) {
            if (row.place() != null) {
              placed.add(row.user());
            }
            decided |= row.user().equals(approval.user());
          }
          if (placed.size() >= required) {
            return new CountedApproval(CountedApproval.Outcome.ENOUGH_ALREADY, 0, placed);
          }
          if (decided) {
            return new CountedApproval(CountedApproval.Outcome.DECIDED_ALREADY, 0, placed);
          }
          int place = placed.size() + 1;
          Jdbc.update(
              connection,
              "INSERT INTO approvals (run_id, user_id, approved, plan_hash, decided_at, comment,"
                  + " place) VALUES (?, ?, ?, ?, ?, ?, ?)",
              approval.runId(),
              approval.user(),
              true,
              approval.planHash(),
              Jdbc.timestamp(approval.at()),
              approval.comment(),
              place);
          sealer.append(connection, head, ChainEntry.approval(approval.runId(), approval.user()));
          placed.add(approval.user());
          CountedApproval counted =
              new CountedApproval(CountedApproval.Outcome.RECORDED, place, placed);
          whileHeld.accept(counted);
          return counted;
        });
  }

  private record Decided(String user, Integer place) {}

  private static List<Decided> decided(Connection connection, String runId) throws SQLException {
    return Jdbc.query(
        connection,
        "SELECT user_id, place FROM approvals WHERE run_id = ? ORDER BY place, decided_at, user_id",
        row -> {
          int place = row.getInt("place");
          Integer placed = row.wasNull() ? null : place; // before reading another column
          return new Decided(row.getString("user_id"), placed);
        },
        runId);
  }

  @Override
  public void saveSecrets(String runId, String processId, String sealed) {
    jdbc.inTransaction(
        "record the secret parameters of run " + runId,
        connection -> {
          Jdbc.update(connection, "DELETE FROM run_secrets WHERE run_id = ?", runId);
          Jdbc.update(
              connection,
              "INSERT INTO run_secrets (run_id, process_id, sealed) VALUES (?, ?, ?)",
              runId,
              processId,
              sealed);
          return null;
        });
  }

  @Override
  public Optional<StoredSecrets> secrets(String runId) {
    return jdbc.withConnection(
        "read the secret parameters of run " + runId,
        connection ->
            Jdbc.query(
                    connection,
                    "SELECT process_id, sealed FROM run_secrets WHERE run_id = ?",
                    row -> new StoredSecrets(row.getString("process_id"), row.getString("sealed")),
                    runId)
                .stream()
                .findFirst());
  }

  @Override
  public void deleteSecrets(String runId) {
    jdbc.withConnection(
        "forget the secret parameters of run " + runId,
        connection -> Jdbc.update(connection, "DELETE FROM run_secrets WHERE run_id = ?", runId));
  }

  @Override
  public List<String> waitingWithLostSecrets(String self, Instant aliveSince) {
    return jdbc.withConnection(
        "find waiting runs whose secrets are lost",
        connection ->
            Jdbc.query(
                connection,
                "SELECT s.run_id FROM run_secrets s"
                    + " JOIN runs r ON r.id = s.run_id"
                    + " LEFT JOIN engine_processes p ON p.id = s.process_id"
                    + " WHERE s.sealed IS NULL AND r.status = ? AND s.process_id <> ?"
                    + " AND (p.id IS NULL OR p.heartbeat_at < ?)"
                    + " ORDER BY r.created_at, r.id",
                row -> row.getString("run_id"),
                RunStatus.WAITING_APPROVAL.label(),
                self,
                Jdbc.timestamp(aliveSince)));
  }
}
