package io.intentbot.engine;

import io.intentbot.engine.testing.EmbeddedPostgresExtension;
import io.intentbot.engine.testing.EngineFixture;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Approvals stop at the required count on a real PostgreSQL: one fresh database per test. */
class ApprovalCountPostgresIT extends ApprovalCountContract {

  @RegisterExtension
  static final EmbeddedPostgresExtension postgres = new EmbeddedPostgresExtension();

  @Override
  protected void useDatabase(EngineFixture fixture) throws SQLException {
    String name = postgres.createDatabase("approvals");
    fixture.database(postgres.getJdbcUrl("postgres", name), null, null);
  }
}
