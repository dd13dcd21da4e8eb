package io.intentbot.engine.config;

import static io.intentbot.engine.config.ConfigSchema.bool;
import static io.intentbot.engine.config.ConfigSchema.duration;
import static io.intentbot.engine.config.ConfigSchema.either;
import static io.intentbot.engine.config.ConfigSchema.fields;
import static io.intentbot.engine.config.ConfigSchema.integer;
import static io.intentbot.engine.config.ConfigSchema.listOf;
import static io.intentbot.engine.config.ConfigSchema.mapOf;
import static io.intentbot.engine.config.ConfigSchema.string;
import static io.intentbot.engine.config.ConfigSchema.strings;

import io.intentbot.engine.config.ConfigSchema.Fields;
import java.util.List;

/**
 * The keys the engine's core reads from {@code intentbot.yaml}; {@link ConfigSection}s add the
 * top-level keys other modules read. New core keys are declared here and bound in {@link
 * ConfigLoader}.
 */
final class CoreSchema {

  static final Fields APPROVAL =
      fields()
          .key("approvers", strings())
          .key("groups", strings())
          .key("required", integer())
          .key("self_approval", bool())
          .key("expires_after", duration())
          .key("from", strings());

  static final Fields BREAK_GLASS_RIGHTS =
      fields().key("users", strings()).key("groups", strings());

  static final Fields FREEZE =
      fields()
          .key("cron", string())
          .key("duration", duration())
          .key("from", string())
          .key("to", string())
          .key("reason", string());

  static final Fields ACCESS_RULE =
      fields()
          .key("intents", strings())
          .key("risk", strings())
          .key("environments", strings())
          .key("users", strings())
          .key("groups", strings())
          .key("channels", strings());

  static final Fields ENVIRONMENT =
      fields()
          .key("namespace", string())
          .key("protected", bool())
          .key("approval", APPROVAL)
          .key("kube_context", string())
          .key("break_glass", either(bool(), BREAK_GLASS_RIGHTS))
          .key("impersonate", bool())
          .key("freeze", listOf(FREEZE))
          .openToEnvironmentKeys();

  static final Fields DATASOURCE =
      fields()
          .required("url", string(), "a JDBC URL")
          .key("user", string())
          .key("password", string())
          .key("password_env", string())
          .key("migrations", string())
          .key("environment", string());

  static final Fields USER =
      fields().key("kubernetes_user", string()).key("kubernetes_groups", strings());

  private CoreSchema() {}

  /** The whole file: the core's keys and every section's. */
  static Fields root(List<ConfigSection> sections) {
    Fields root =
        fields()
            .key("apps", strings())
            .key("environments", mapOf(ENVIRONMENT))
            .key("datasources", mapOf(DATASOURCE))
            .key("users", mapOf(USER))
            .key("access", listOf(ACCESS_RULE))
            .key("admins", strings())
            .key("identities", mapOf(string()))
            .key("trusted_os_users", strings());
    for (ConfigSection section : sections) {
      if (root.keys().containsKey(section.key())) {
        throw new IllegalStateException(
            "config section '"
                + section.key()
                + "' ("
                + section.readBy()
                + ") is declared twice or is a core key");
      }
      root = root.key(section.key(), section.schema());
    }
    return root;
  }
}
