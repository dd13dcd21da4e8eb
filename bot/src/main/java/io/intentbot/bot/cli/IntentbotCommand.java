package io.intentbot.bot.cli;

import io.intentbot.engine.audit.AuditStoreException;
import io.intentbot.engine.config.ConfigException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code intentbot}: the command line, one subcommand per verb of the operator interface. Every
 * subcommand takes {@code --config} and {@code --intents}.
 */
@Command(
    name = "intentbot",
    mixinStandardHelpOptions = true,
    versionProvider = IntentbotCommand.Version.class,
    description = "Chat-ops for Kubernetes: run YAML intents from Slack, a console or a terminal.",
    subcommands = {
      ServeCommand.class,
      SocketCommand.class,
      ConsoleCommand.class,
      RunCommand.class,
      ApproveCommand.class,
      RejectCommand.class,
      CancelCommand.class,
      LintCommand.class,
      CatalogCommand.class,
      ListCommand.class,
      DescribeCommand.class,
      StepsCommand.class,
      HistoryCommand.class,
      ShowCommand.class,
      AuditCommand.class,
      CommandLine.HelpCommand.class
    })
public final class IntentbotCommand implements Runnable {

  private static final Set<String> SERVERS = Set.of("serve", "socket");

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    configureLogging(args, System.getenv());
    // Logging is set up here, on one thread: serve opens its parts in parallel, and loggers made
    // while another thread still sets logging up are replayed with a warning on stderr.
    org.slf4j.LoggerFactory.getILoggerFactory();
    System.exit(
        execute(
            args,
            System.getenv(),
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given environment and streams; returns the exit code. */
  public static int execute(
      String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new IntentbotCommand(), new EnvFactory(env));
    helpEverywhere(cli);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof ConfigException) {
            err.println("intentbot: " + e.getMessage());
            return ExitCode.INVALID;
          }
          if (e instanceof AuditStoreException) {
            err.println(
                "intentbot: the audit database is not reachable: "
                    + e.getMessage()
                    + " (check INTENTBOT_DB_URL)");
            return ExitCode.FAILED;
          }
          if (e instanceof UserError) {
            err.println("intentbot: " + e.getMessage());
            return ((UserError) e).exitCode();
          }
          throw e;
        });
    cli.setParameterExceptionHandler(
        (e, a) -> {
          err.println("intentbot: " + e.getMessage());
          e.getCommandLine().usage(err);
          return ExitCode.INVALID;
        });
    try {
      return cli.execute(args);
    } finally {
      SignalTrap.closeCommandTraps();
    }
  }

  /**
   * {@code --help} and {@code -h} on every subcommand, at every depth: usage on stdout, exit 0
   * (picocli's {@code help} subcommand has its own); {@code --version} too.
   */
  private static void helpEverywhere(CommandLine command) {
    command
        .getSubcommands()
        .values()
        .forEach(
            sub -> {
              if (!(sub.getCommand() instanceof CommandLine.HelpCommand)
                  && !sub.getCommandSpec().mixinStandardHelpOptions()) {
                sub.getCommandSpec().mixinStandardHelpOptions(true);
                sub.getCommandSpec().versionProvider(new Version());
              }
              helpEverywhere(sub);
            });
  }

  /**
   * Text or JSON logs ({@code INTENTBOT_LOG_FORMAT}); servers log at INFO, one-shot commands only
   * warnings, so their output stays readable. Must run before the first logger is made.
   */
  static void configureLogging(String[] args, Map<String, String> env) {
    if ("json".equalsIgnoreCase(env.get("INTENTBOT_LOG_FORMAT"))) {
      System.setProperty("logback.configurationFile", "logback-json.xml");
    }
    boolean server = args.length > 0 && SERVERS.contains(args[0]);
    String level = env.getOrDefault("INTENTBOT_LOG_LEVEL", server ? "INFO" : "WARN");
    System.setProperty("intentbot.log.level", level);
  }

  /** Gives commands the environment the CLI was started with (tests pass their own). */
  static final class EnvFactory implements CommandLine.IFactory {
    private final Map<String, String> env;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    EnvFactory(Map<String, String> env) {
      this.env = env;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
      K created = fallback.create(type);
      if (created instanceof EnvAware aware) {
        aware.env(env);
      }
      return created;
    }
  }

  /** The version in the jar's manifest, or "dev". */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = IntentbotCommand.class.getPackage().getImplementationVersion();
      return new String[] {"intentbot " + (version == null ? "dev" : version)};
    }
  }
}
