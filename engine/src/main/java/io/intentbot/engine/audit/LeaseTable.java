package io.intentbot.engine.audit;

import java.time.Instant;

/** Named leases: one holder at a time, taken over only once expired. */
final class LeaseTable {

  private final Jdbc jdbc;

  LeaseTable(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  boolean hold(String name, String holder, Instant now, Instant until) {
    boolean renewed =
        jdbc.inTransaction(
            "hold lease " + name,
            connection ->
                Jdbc.update(
                        connection,
                        "UPDATE leases SET holder = ?, expires_at = ?"
                            + " WHERE name = ? AND (holder = ? OR expires_at < ?)",
                        holder,
                        Jdbc.timestamp(until),
                        name,
                        holder,
                        Jdbc.timestamp(now))
                    > 0);
    if (renewed) {
      return true;
    }
    try {
      return jdbc.inTransaction(
          "take lease " + name,
          connection ->
              Jdbc.update(
                      connection,
                      "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)",
                      name,
                      holder,
                      Jdbc.timestamp(until))
                  > 0);
    } catch (AuditStoreException e) {
      return false;
    }
  }

  void release(String name, String holder) {
    jdbc.inTransaction(
        "release lease " + name,
        connection ->
            Jdbc.update(
                connection, "DELETE FROM leases WHERE name = ? AND holder = ?", name, holder));
  }
}
