package io.intentbot.engine.steps;

import io.intentbot.engine.config.DatasourceConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * The {@code pg_dump} command line for a PostgreSQL datasource: host, port, database and user from
 * its JDBC URL (and config), plain SQL without owners, never a password prompt. The password goes
 * only into the environment ({@code PGPASSWORD}), never into the arguments.
 *
 * @param argv program and arguments, safe to show
 * @param env the variables pg_dump gets (besides {@code ProcessRunner.INHERITED}); holds the
 *     password
 * @param password the password, or null, for masking
 */
record PgDumpCommand(List<String> argv, Map<String, String> env, String password) {

  private static final String DEFAULT_CONNECT_TIMEOUT_SECONDS = "30";

  PgDumpCommand {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
  }

  /** The command; IllegalArgumentException when the URL is not a PostgreSQL JDBC URL. */
  static PgDumpCommand of(String binary, DatasourceConfig datasource, Path file) {
    Properties url = Driver.parseURL(datasource.url(), new Properties());
    if (url == null || url.getProperty("PGDBNAME", "").isEmpty()) {
      throw new IllegalArgumentException(
          "datasource '"
              + datasource.name()
              + "' has no PostgreSQL JDBC URL with a database name (jdbc:postgresql://HOST:PORT/DB)");
    }
    String user = present(datasource.user()) ? datasource.user() : url.getProperty("user");
    String password =
        present(datasource.password()) ? datasource.password() : url.getProperty("password");
    List<String> argv = new ArrayList<>();
    argv.add(binary);
    argv.addAll(List.of("--host", url.getProperty("PGHOST", "localhost")));
    argv.addAll(List.of("--port", url.getProperty("PGPORT", "5432")));
    if (present(user)) {
      argv.addAll(List.of("--username", user));
    }
    argv.addAll(List.of("--dbname", url.getProperty("PGDBNAME")));
    argv.addAll(List.of("--format", "plain", "--no-owner", "--no-password"));
    argv.addAll(List.of("--file", file.toString()));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PGAPPNAME", "intentbot");
    env.put(
        "PGCONNECT_TIMEOUT", url.getProperty("connectTimeout", DEFAULT_CONNECT_TIMEOUT_SECONDS));
    if (present(url.getProperty("sslmode"))) {
      env.put("PGSSLMODE", url.getProperty("sslmode"));
    }
    if (present(password)) {
      env.put("PGPASSWORD", password);
    }
    return new PgDumpCommand(argv, env, present(password) ? password : null);
  }

  /** The same command writing to another file (the last argument). */
  PgDumpCommand writingTo(Path file) {
    List<String> changed = new ArrayList<>(argv);
    changed.set(changed.size() - 1, file.toString());
    return new PgDumpCommand(changed, env, password);
  }

  private static boolean present(String value) {
    return value != null && !value.isEmpty();
  }

  @Override
  public String toString() {
    return "PgDumpCommand" + argv;
  }
}
