package io.intentbot.engine.config;

/**
 * A named database that {@code sql} and {@code flyway} steps may use.
 *
 * @param name the key in {@code datasources:}
 * @param url JDBC URL
 * @param user user name, or null
 * @param password password (already resolved from {@code password_env}), or null; always registered
 *     as a secret
 * @param migrations folder of Flyway migrations for this datasource, relative to the intents
 *     folder, or null
 * @param environment the environment whose data it holds ({@code environment:}), or null; a run
 *     that uses it touches that environment (its approval and access rules apply)
 */
public record DatasourceConfig(
    String name, String url, String user, String password, String migrations, String environment) {

  /** Without an environment. */
  public DatasourceConfig(
      String name, String url, String user, String password, String migrations) {
    this(name, url, user, password, migrations, null);
  }

  @Override
  public String toString() {
    return "DatasourceConfig[name="
        + name
        + ", url="
        + url
        + ", user="
        + user
        + ", environment="
        + environment
        + "]";
  }
}
