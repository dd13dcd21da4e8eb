package io.intentbot.kubernetes;

import static io.intentbot.engine.config.ConfigSchema.duration;
import static io.intentbot.engine.config.ConfigSchema.fields;
import static io.intentbot.engine.config.ConfigSchema.integer;
import static io.intentbot.engine.config.ConfigSchema.listOf;
import static io.intentbot.engine.config.ConfigSchema.string;

import io.intentbot.engine.config.ConfigSection;
import java.util.List;

/**
 * The config sections this module reads, so the config loader refuses unknown keys in them: {@code
 * kubernetes:} ({@link ApiResilience}), {@code velero: { namespace, storage_location }} and {@code
 * helm: { binary, stop_margin, repositories: [{ name, url }] }} ({@code helm.HelmRepositories}).
 * Listed in {@code META-INF/services}; keep it in step with the readers.
 */
public final class KubernetesConfigSections implements ConfigSection.Provider {

  @Override
  public List<ConfigSection> sections() {
    return List.of(
        new ConfigSection(
            "kubernetes",
            fields()
                .key(
                    "retry",
                    fields()
                        .key("attempts", integer())
                        .key("backoff", duration())
                        .key("max_backoff", duration()))
                .key(
                    "circuit_breaker",
                    fields()
                        .key("failure_rate", integer())
                        .key("minimum_calls", integer())
                        .key("open_for", duration()))
                .key("rollout", fields().key("failure_grace", duration())),
            "Kubernetes API calls (ApiResilience)"),
        new ConfigSection(
            "velero",
            fields().key("namespace", string()).key("storage_location", string()),
            "Velero step types"),
        new ConfigSection(
            "helm",
            fields()
                .key("binary", string())
                .key("stop_margin", duration())
                .key(
                    "repositories",
                    listOf(
                        fields()
                            .required(
                                "name",
                                string(),
                                "the name charts use before the slash: NAME/chart")
                            .required("url", string(), "the repository's https:// URL"))),
            "Helm step types"));
  }
}
