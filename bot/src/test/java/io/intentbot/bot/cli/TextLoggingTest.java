package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TextLoggingTest {

  @AfterEach
  void clearProperties() {
    System.clearProperty("intentbot.log.level");
    System.clearProperty("intentbot.log.root.level");
  }

  @Test
  void logsTextOnStderrAtTheLevelsTheCommandLineChose() {
    System.setProperty("intentbot.log.level", "DEBUG");
    LoggerContext context = new LoggerContext();

    ExecutionStatus status = new TextLogging(() -> false).configure(context);

    assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger("io.intentbot").getLevel()).isEqualTo(Level.DEBUG);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.WARN);
    ConsoleAppender<ILoggingEvent> stderr =
        (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
    assertThat(stderr.getTarget()).isEqualTo("System.err");
    assertThat(stderr.isStarted()).isTrue();
    assertThat(((PatternLayoutEncoder) stderr.getEncoder()).getPattern()).contains("%X{run_id:--}");
  }

  @Test
  void defaultsToInfoForIntentbotAndWarnForTheRest() {
    LoggerContext context = new LoggerContext();
    new TextLogging(() -> false).configure(context);
    assertThat(context.getLogger("io.intentbot.run").getEffectiveLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("org.flywaydb").getEffectiveLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void leavesANamedConfigurationFileToLogback() {
    LoggerContext context = new LoggerContext();
    assertThat(new TextLogging(() -> true).configure(context))
        .isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext())
        .isFalse();
  }

  @Test
  void isTheConfiguratorLogbackFindsOnTheClassPath() {
    assertThat(
            ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
                .map(ServiceLoader.Provider::type))
        .contains(TextLogging.class);
  }
}
