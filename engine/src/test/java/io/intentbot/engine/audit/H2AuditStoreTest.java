package io.intentbot.engine.audit;

import static io.intentbot.engine.audit.Runs.T0;
import static io.intentbot.engine.audit.Runs.finished;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.intentbot.engine.model.StepStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a real H2 file, plus what only a file database has to show. */
class H2AuditStoreTest extends AuditStoreContractTest {

  @TempDir Path dir;

  private Path dataDir;

  @Override
  protected String newDatabaseUrl() {
    dataDir = dir.resolve("data");
    return AuditStores.defaultUrl(dataDir);
  }

  @Test
  void theDefaultUrlIsAnH2FileInTheDataDirSharedBetweenProcesses() {
    String url = AuditStores.defaultUrl(Path.of("some", "data"));

    assertThat(url)
        .startsWith("jdbc:h2:file:" + Path.of("some", "data").toAbsolutePath() + "/intentbot")
        .contains(";AUTO_SERVER=TRUE");
    assertThat(Files.exists(dataDir.resolve("intentbot.mv.db"))).isTrue();
  }

  @Test
  void h2RefusesToLeaveClosingToTheProcessNextToAutoServer() {
    String url = AuditStores.defaultUrl(dir.resolve("other")) + ";DB_CLOSE_ON_EXIT=FALSE";

    assertThatThrownBy(() -> DriverManager.getConnection(url).close())
        .as("why the servers trap SIGTERM instead of turning H2's shutdown hook off")
        .hasMessageContaining("AUTO_SERVER=TRUE && DB_CLOSE_ON_EXIT=FALSE");
  }

  @Test
  void reopeningTheFileKeepsTheRecordAndMigratesOnce() throws SQLException {
    int historyBefore = historyRows("TRUE");
    store.createRun(finished("r-keep01", T0));
    store.saveStep(Runs.step("r-keep01", 0, StepStatus.SUCCEEDED, T0));
    store.seal("r-keep01");
    store.close();
    store = null;

    store = AuditStores.open(AuditStores.defaultUrl(dataDir), null, null);

    assertThat(store.findRun("r-keep01")).contains(finished("r-keep01", T0));
    assertThat(store.steps("r-keep01")).hasSize(1);
    assertVerified(store, 1);
    assertThat(historyRows("\"version\" = '1' AND \"success\"")).isEqualTo(1);
    assertThat(historyRows("TRUE")).isEqualTo(historyBefore);
  }

  @Test
  void twoStoresOnOneFileSeeEachOther() {
    try (AuditStore other = AuditStores.open(AuditStores.defaultUrl(dataDir), null, null)) {
      store.createRun(finished("r-both01", T0));

      assertThat(other.findRun("r-both01")).isPresent();
      assertThat(other.tryLock("k", "r-other", T0)).isEmpty();
      assertThat(store.tryLock("k", "r-both01", T0)).contains("r-other");
    }
  }

  @Test
  void aSecondProcessSharesTheFileWhileThisOneHasItOpen() throws Exception {
    store.tryLock("web/production", "r-bot001", T0);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process cli =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                AuditStoreProcess.class.getName(),
                AuditStores.defaultUrl(dataDir),
                "r-cli001",
                "web/production")
            .redirectErrorStream(true)
            .start();
    String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(cli.exitValue()).as(output).isZero();
    assertThat(output).contains("holder=r-bot001");
    assertThat(store.findRun("r-cli001")).contains(finished("r-cli001", T0));
    assertVerified(store, 1);
  }

  private int historyRows(String condition) throws SQLException {
    try (Connection connection = DriverManager.getConnection(AuditStores.defaultUrl(dataDir));
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT COUNT(*) FROM \"" + AuditStores.HISTORY_TABLE + "\" WHERE " + condition)) {
      rows.next();
      return rows.getInt(1);
    }
  }
}
