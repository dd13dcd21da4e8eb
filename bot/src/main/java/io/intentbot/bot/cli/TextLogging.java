package io.intentbot.bot.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.function.BooleanSupplier;

/**
 * intentbot's default logging, set up in code: text lines on stderr, each line of a run carrying
 * its run id (MDC {@code run_id}); {@code io.intentbot} at {@code intentbot.log.level} (default
 * INFO), everything else at {@code intentbot.log.root.level} (default WARN). Doing it in code
 * spares every start the XML configurator and parser (about 350 classes). When a configuration file
 * is named ({@code -Dlogback.configurationFile}, as {@code INTENTBOT_LOG_FORMAT=json} does) or a
 * {@code logback-test.xml} is on the class path, logback's own configurators read that instead.
 */
public final class TextLogging extends ContextAwareBase implements Configurator {

  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%X{run_id:--}] %logger{24} - %msg%n";

  private final BooleanSupplier configuredElsewhere;

  /** As logback's service loader makes it. */
  public TextLogging() {
    this(
        () ->
            System.getProperty("logback.configurationFile") != null
                || TextLogging.class.getClassLoader().getResource("logback-test.xml") != null);
  }

  TextLogging(BooleanSupplier configuredElsewhere) {
    this.configuredElsewhere = configuredElsewhere;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (configuredElsewhere.getAsBoolean()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level("intentbot.log.root.level", Level.WARN));
    root.addAppender(stderr);
    context.getLogger("io.intentbot").setLevel(level("intentbot.log.level", Level.INFO));
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static Level level(String property, Level fallback) {
    return Level.toLevel(System.getProperty(property), fallback);
  }
}
