package io.intentbot.engine.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.slf4j.LoggerFactory;

/**
 * Migrations that were released in {@code db/audit} and later taken out of it, so that databases
 * that applied them still migrate. Flyway refuses a history that names a migration it cannot find
 * ("applied migration not resolved locally"); when that is the only complaint and every such
 * migration is listed here, its history row is marked deleted with Flyway's own {@code repair}
 * (which adds a {@code DELETE} row and keeps the original), and migration goes on. Any other
 * difference (a changed checksum, an unknown missing version) still fails, as it should for an
 * audit record.
 *
 * <ul>
 *   <li>{@code 2 slack outbox}: the Slack adapter's outbox tables, now the bot's own migrations
 *       ({@code classpath:db/slack}, history {@code intentbot_slack_schema_history}), written with
 *       {@code IF NOT EXISTS} so that on these databases they keep the tables and rows they have.
 * </ul>
 */
final class RetiredMigrations {

  /** Version to description, as Flyway recorded them. */
  static final Map<String, String> RETIRED = Map.of("2", "slack outbox");

  private RetiredMigrations() {}

  /**
   * Marks the retired migrations in the history as deleted when they are the only reason {@code
   * flyway} does not validate; returns whether the history now validates that way. Replicas
   * starting together are serialized on the retired rows of {@code historyTable} (read {@code FOR
   * UPDATE} on {@code dataSource}), and each checks again once it holds them, so the deletion is
   * recorded once.
   */
  static boolean markDeleted(Flyway flyway, DataSource dataSource, String historyTable) {
    if (!onlyRetiredMissing(flyway)) {
      return false;
    }
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement lock =
          connection.prepareStatement(
              "SELECT \"installed_rank\" FROM \""
                  + historyTable
                  + "\" WHERE \"version\" = ? FOR UPDATE")) {
        for (String version : RETIRED.keySet()) {
          lock.setString(1, version);
          lock.executeQuery().close();
        }
        if (onlyRetiredMissing(flyway)) {
          LoggerFactory.getLogger(RetiredMigrations.class)
              .info(
                  "audit schema: marking retired migrations as deleted in its history: {}",
                  RETIRED);
          flyway.repair();
        }
      } finally {
        connection.commit();
      }
    } catch (SQLException e) {
      throw new AuditStoreException(
          "audit store: cannot mark retired migrations: " + e.getMessage(), e);
    }
    return true;
  }

  private static boolean onlyRetiredMissing(Flyway flyway) {
    ValidateResult result = flyway.validateWithResult();
    List<ValidateOutput> problems =
        result.invalidMigrations.stream()
            .filter(
                o ->
                    o.errorDetails == null
                        || o.errorDetails.errorCode
                            != CoreErrorCode.RESOLVED_VERSIONED_MIGRATION_NOT_APPLIED)
            .toList();
    boolean onlyRetired =
        !problems.isEmpty()
            && problems.stream()
                .allMatch(
                    o ->
                        o.errorDetails != null
                            && o.errorDetails.errorCode
                                == CoreErrorCode.APPLIED_VERSIONED_MIGRATION_NOT_RESOLVED
                            && o.description != null
                            && o.description.equals(RETIRED.get(o.version)));
    return onlyRetired;
  }
}
