package io.intentbot.engine.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** The {@code read_positions} table: where each follower of the access log left off. */
final class ReadPositions {

  private final Jdbc jdbc;

  ReadPositions(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  long position(String reader, long start) {
    return jdbc.withConnection(
        "read the position of " + reader,
        connection -> {
          List<Long> stored = stored(connection, reader);
          if (!stored.isEmpty()) {
            return stored.get(0);
          }
          try {
            Jdbc.update(
                connection,
                "INSERT INTO read_positions (reader, position) VALUES (?, ?)",
                reader,
                start);
            return start;
          } catch (SQLException e) {
            if (!Jdbc.isDuplicateKey(e)) {
              throw e;
            }
            return stored(connection, reader).get(0);
          }
        });
  }

  void advance(String reader, long position) {
    jdbc.withConnection(
        "move the position of " + reader,
        connection ->
            Jdbc.update(
                connection,
                "UPDATE read_positions SET position = ? WHERE reader = ? AND position < ?",
                position,
                reader,
                position));
  }

  private static List<Long> stored(Connection connection, String reader) throws SQLException {
    return Jdbc.query(
        connection,
        "SELECT position FROM read_positions WHERE reader = ?",
        row -> row.getLong("position"),
        reader);
  }
}
