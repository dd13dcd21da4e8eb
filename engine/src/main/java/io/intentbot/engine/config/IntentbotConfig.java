package io.intentbot.engine.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bot's configuration ({@code config/intentbot.yaml}): the apps intents may target, the
 * environments with their approval policies, and the named datasources. Immutable; load it with
 * {@link ConfigLoader}, which has checked every key and value (tests may build one directly).
 *
 * @param apps the whitelist of app names, in the order written
 * @param environments environment name to its settings, in the order written
 * @param datasources datasource name to its connection settings
 * @param userMappings chat user id to the identity used towards other systems (e.g. a Kubernetes
 *     user and groups for impersonation)
 * @param raw the whole file as read (after {@code ${VAR}} expansion; maps and lists unmodifiable),
 *     for modules that own a {@link ConfigSection} (e.g. {@code kubernetes:}, {@code slack:})
 * @param access who may do what ({@code access:}, {@code admins:}, {@code identities:}, {@code
 *     trusted_os_users:})
 */
public record IntentbotConfig(
    List<String> apps,
    Map<String, EnvironmentConfig> environments,
    Map<String, DatasourceConfig> datasources,
    Map<String, UserMapping> userMappings,
    Map<String, Object> raw,
    AccessConfig access) {

  /** With no access rules: everyone may run everything. */
  public IntentbotConfig(
      List<String> apps,
      Map<String, EnvironmentConfig> environments,
      Map<String, DatasourceConfig> datasources,
      Map<String, UserMapping> userMappings,
      Map<String, Object> raw) {
    this(apps, environments, datasources, userMappings, raw, AccessConfig.OPEN);
  }

  public IntentbotConfig {
    access = access == null ? AccessConfig.OPEN : access;
    apps = List.copyOf(apps);
    environments =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environments));
    datasources = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(datasources));
    userMappings = Map.copyOf(userMappings);
    raw = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(raw));
  }

  public static IntentbotConfig empty() {
    return new IntentbotConfig(List.of(), Map.of(), Map.of(), Map.of(), Map.of());
  }

  public Optional<EnvironmentConfig> environment(String name) {
    return Optional.ofNullable(environments.get(name));
  }

  public Optional<DatasourceConfig> datasource(String name) {
    return Optional.ofNullable(datasources.get(name));
  }

  /**
   * A top-level section the core does not interpret, or an empty map; its keys were checked against
   * the schema of the {@link ConfigSection} its module declared.
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> section(String name) {
    Object value = raw.get(name);
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  /** How a chat user appears to other systems. */
  public record UserMapping(String kubernetesUser, List<String> kubernetesGroups) {
    public UserMapping {
      kubernetesGroups = List.copyOf(kubernetesGroups);
    }
  }
}
