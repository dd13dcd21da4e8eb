package io.intentbot.engine.config;

import java.util.List;

/**
 * The sections the engine's built-in step types read: {@code pg_dump: { binary }} (sql.dump) and
 * {@code http: { allow }} (the addresses the http step may reach beyond public ones) and {@code
 * shell: { pass_env }} (variables of the bot's environment that shell steps get), and the engine's
 * {@code limits: { runs_per_user, runs_total, processes }}.
 */
public final class BuiltinConfigSections implements ConfigSection.Provider {

  @Override
  public List<ConfigSection> sections() {
    return List.of(
        new ConfigSection(
            "pg_dump",
            ConfigSchema.fields().key("binary", ConfigSchema.string()),
            "the sql.dump step type"),
        new ConfigSection(
            "http",
            ConfigSchema.fields().key("allow", ConfigSchema.listOf(ConfigSchema.string())),
            "the http step type (OutboundAddresses)"),
        new ConfigSection(
            "shell",
            ConfigSchema.fields().key("pass_env", ConfigSchema.listOf(ConfigSchema.string())),
            "the shell step type (PassedEnvironment)"),
        new ConfigSection(
            "limits",
            ConfigSchema.fields()
                .key("runs_per_user", ConfigSchema.count())
                .key("runs_total", ConfigSchema.count())
                .key("processes", ConfigSchema.count()),
            "the engine's load limits (LoadLimits)"));
  }
}
