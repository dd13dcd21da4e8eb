package io.intentbot.bot.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the common options, the environment and the output streams. */
abstract class BaseCommand implements Callable<Integer>, EnvAware {

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;
  private Map<String, String> env = Map.of();

  @Override
  public void env(Map<String, String> env) {
    this.env = env;
  }

  Map<String, String> env() {
    return env;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /**
   * What the command needs, built on demand; the config is loaded and checked first, so every
   * command refuses to start on an invalid config (exit 2, each problem as {@code file:line:col:
   * message}).
   */
  Bootstrap bootstrap() {
    Bootstrap boot = new Bootstrap(common, env);
    boot.config();
    return boot;
  }

  /** As {@link #bootstrap()} without the config check, for a command that reports it itself. */
  Bootstrap uncheckedBootstrap() {
    return new Bootstrap(common, env);
  }

  /** The user to act as: {@code --as}, else the operating-system user. */
  String user(String as) {
    if (as != null && !as.isBlank()) {
      return as;
    }
    return env.getOrDefault("USER", System.getProperty("user.name", "cli"));
  }
}
