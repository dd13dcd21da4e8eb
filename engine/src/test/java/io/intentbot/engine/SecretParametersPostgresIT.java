package io.intentbot.engine;

import io.intentbot.engine.testing.EmbeddedPostgresExtension;
import io.intentbot.engine.testing.EngineFixture;
import java.sql.SQLException;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The secret parameters contract on a real PostgreSQL: one fresh database per test. */
class SecretParametersPostgresIT extends SecretParametersContract {

  @RegisterExtension
  static final EmbeddedPostgresExtension postgres = new EmbeddedPostgresExtension();

  @Override
  protected void useDatabase(EngineFixture fixture) throws SQLException {
    String name = postgres.createDatabase("secrets");
    fixture.database(postgres.getJdbcUrl("postgres", name), null, null);
  }
}
