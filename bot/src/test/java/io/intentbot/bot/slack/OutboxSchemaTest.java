package io.intentbot.bot.slack;

import io.intentbot.engine.audit.AuditStores;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** {@link OutboxSchemaContractTest} on H2 files. */
class OutboxSchemaTest extends OutboxSchemaContractTest {

  private final AtomicInteger databases = new AtomicInteger();
  @TempDir Path dir;

  @Override
  protected String newDatabaseUrl() {
    return AuditStores.defaultUrl(dir.resolve("db" + databases.incrementAndGet()));
  }
}
