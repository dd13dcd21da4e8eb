package io.intentbot.bot.cli;

import io.intentbot.bot.chat.OutcomeText;
import io.intentbot.engine.Engine;
import io.intentbot.engine.model.Actor;
import io.intentbot.engine.model.Refusal;
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

  /**
   * Who this command acts as: the operating-system user as {@code identities:} maps it (else {@code
   * os:NAME}), or {@code --as} for a user in {@code trusted_os_users}. Null when {@code --as} was
   * refused: the refusal is recorded and printed, and the command exits {@link ExitCode#REFUSED}.
   */
  Actor actor(Bootstrap boot, Engine engine, String as) {
    TerminalIdentity identity = TerminalIdentity.of(boot.config().access(), env);
    if (!identity.claimsOther(as)) {
      return identity.actor("cli");
    }
    if (identity.trusted()) {
      return identity.actingAs(as, "cli");
    }
    Refusal refusal = engine.refuseIdentity(identity.actor("cli"), as);
    err().println("refused: " + OutcomeText.PLAIN.refusal(refusal));
    return null;
  }
}
