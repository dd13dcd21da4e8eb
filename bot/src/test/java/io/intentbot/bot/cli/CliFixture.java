package io.intentbot.bot.cli;

import io.intentbot.engine.testing.EngineFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Runs the CLI in-process over a temporary intents folder, config and H2 file. */
final class CliFixture {

  record Result(int exitCode, String out, String err) {}

  final EngineFixture engine;
  final Path config;

  /** More environment variables for the commands run from now on. */
  final Map<String, String> moreEnv = new java.util.HashMap<>();

  CliFixture(Path dir) throws Exception {
    this.engine = new EngineFixture(dir);
    this.config = dir.resolve("intentbot.yaml");
    Files.writeString(config, EngineFixture.DEFAULT_CONFIG);
  }

  Map<String, String> env() {
    Map<String, String> env =
        new java.util.HashMap<>(
            Map.of(
                "INTENTBOT_CONFIG", config.toString(),
                "INTENTBOT_INTENTS", engine.intentsDir().toString(),
                "INTENTBOT_DB_URL", engine.dbUrl(),
                "USER", "U_CAROL"));
    env.putAll(moreEnv);
    return Map.copyOf(env);
  }

  Result run(String... args) {
    return runWith(Map.of(), args);
  }

  /** Runs with more (or other) environment variables than {@link #env()}. */
  Result runWith(Map<String, String> extraEnv, String... args) {
    Map<String, String> env = new java.util.HashMap<>(env());
    env.putAll(extraEnv);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        IntentbotCommand.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }
}
