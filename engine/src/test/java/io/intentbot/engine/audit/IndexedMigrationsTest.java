package io.intentbot.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit schema's migrations are read from {@code db/audit/migrations.list}, not by scanning:
 * the list names every migration in the folder, and a database that Flyway migrated by scanning
 * validates against the list (same scripts, same checksums) with nothing left to apply.
 */
class IndexedMigrationsTest {

  @TempDir Path dir;

  @Test
  void theIndexListsEveryMigrationInTheFolderInVersionOrder() throws URISyntaxException {
    Path folder =
        Path.of(IndexedMigrationsTest.class.getClassLoader().getResource("db/audit").toURI());
    List<String> inFolder;
    try (Stream<Path> files = Files.list(folder)) {
      inFolder =
          files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".sql")).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }

    List<String> listed =
        IndexedMigrations.at(AuditStores.MIGRATIONS, loader()).orElseThrow().names();

    assertThat(listed).containsExactlyInAnyOrderElementsOf(inFolder);
    assertThat(listed)
        .isSortedAccordingTo(
            java.util.Comparator.comparingInt(
                n -> Integer.parseInt(n.substring(1, n.indexOf("__")))));
  }

  @Test
  void aDatabaseMigratedByScanningValidatesAgainstTheIndexWithNothingToApply() throws Exception {
    String url = AuditStores.defaultUrl(dir);
    Flyway.configure()
        .dataSource(url, null, null)
        .locations(AuditStores.MIGRATIONS)
        .table(AuditStores.HISTORY_TABLE)
        .load()
        .migrate();
    int rows = historyRows(url);

    AuditStores.open(url, null, null).close();

    assertThat(historyRows(url)).isEqualTo(rows);
    MigrationInfo[] indexed =
        IndexedMigrations.apply(Flyway.configure(), AuditStores.MIGRATIONS)
            .dataSource(url, null, null)
            .locations(AuditStores.MIGRATIONS)
            .table(AuditStores.HISTORY_TABLE)
            .load()
            .info()
            .all();
    assertThat(indexed)
        .hasSize(
            IndexedMigrations.at(AuditStores.MIGRATIONS, loader()).orElseThrow().names().size());
    assertThat(indexed).allSatisfy(m -> assertThat(m.getState().isApplied()).isTrue());
  }

  @Test
  void aLocationWithoutAnIndexIsScanned() {
    assertThat(IndexedMigrations.at("classpath:db/audit-released", loader())).isEmpty();
    assertThat(IndexedMigrations.at("filesystem:/tmp", loader())).isEmpty();
  }

  private static ClassLoader loader() {
    return IndexedMigrationsTest.class.getClassLoader();
  }

  private static int historyRows(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT COUNT(*) FROM \"" + AuditStores.HISTORY_TABLE + "\"")) {
      r.next();
      return r.getInt(1);
    }
  }
}
