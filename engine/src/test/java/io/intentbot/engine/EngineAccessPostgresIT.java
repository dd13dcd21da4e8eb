package io.intentbot.engine;

import io.intentbot.engine.testing.EmbeddedPostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link EngineAccessTest} with the audit store (and its access log) on PostgreSQL. */
class EngineAccessPostgresIT extends EngineAccessTest {

  @RegisterExtension
  static final EmbeddedPostgresExtension postgres = new EmbeddedPostgresExtension();

  @Override
  String databaseUrl() throws Exception {
    return postgres.getJdbcUrl("postgres", postgres.createDatabase("access"));
  }
}
