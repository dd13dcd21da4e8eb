package io.intentbot.bot.cli;

import io.intentbot.engine.testing.EngineFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the CLI in-process over a temporary intents folder, config and H2 file, as the
 * operating-system user {@code carol} (mapped to {@code U_CAROL}; {@code alice} and {@code bob} map
 * to the production approvers, {@code ci} may use {@code --as}). Production takes approvals from
 * Slack and the command line.
 */
final class CliFixture {

  record Result(int exitCode, String out, String err) {}

  static final String CONFIG =
      EngineFixture.DEFAULT_CONFIG.replace(
              "expires_after: 30m }", "expires_after: 30m, from: [slack, cli] }")
          + """
          identities: { carol: U_CAROL, alice: U_ALICE, bob: U_BOB }
          trusted_os_users: [ci]
          """;

  final EngineFixture engine;
  final Path config;

  /** More environment variables for the commands run from now on. */
  final Map<String, String> moreEnv = new java.util.HashMap<>();

  CliFixture(Path dir) throws Exception {
    this(dir, CONFIG);
  }

  CliFixture(Path dir, String configYaml) throws Exception {
    this.engine = new EngineFixture(dir);
    this.config = dir.resolve("intentbot.yaml");
    Files.writeString(config, configYaml);
  }

  Map<String, String> env() {
    return env("carol");
  }

  Map<String, String> env(String osUser) {
    Map<String, String> env =
        new java.util.HashMap<>(
            Map.of(
                "INTENTBOT_CONFIG", config.toString(),
                "INTENTBOT_INTENTS", engine.intentsDir().toString(),
                "INTENTBOT_DB_URL", engine.dbUrl(),
                "USER", osUser,
                "HOSTNAME", "test-host"));
    env.putAll(moreEnv);
    return Map.copyOf(env);
  }

  Result run(String... args) {
    return runAs("carol", args);
  }

  /** The CLI as the operating-system user {@code osUser}. */
  Result runAs(String osUser, String... args) {
    return execute(env(osUser), args);
  }

  /** Runs with more (or other) environment variables than {@link #env()}. */
  Result runWith(Map<String, String> extraEnv, String... args) {
    Map<String, String> env = new java.util.HashMap<>(env());
    env.putAll(extraEnv);
    return execute(env, args);
  }

  private static Result execute(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        IntentbotCommand.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }
}
