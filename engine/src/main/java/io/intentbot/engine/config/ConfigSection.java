package io.intentbot.engine.config;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A top-level key of {@code intentbot.yaml} that a module other than the engine's core reads, with
 * the schema of its value. The loader refuses every top-level key that neither the core nor an
 * installed section declares, and checks each section against its schema, so a typo in a section is
 * an error at start-up instead of a silently ignored setting.
 *
 * <p>A module declares its sections by implementing {@link Provider} and listing the class in
 * {@code META-INF/services/io.intentbot.engine.config.ConfigSection$Provider}; {@link ConfigLoader}
 * finds every provider on the class path. Its readers then take the checked value from {@link
 * IntentbotConfig#section(String)}.
 *
 * <pre>{@code
 * public final class VeleroConfigSections implements ConfigSection.Provider {
 *   public List<ConfigSection> sections() {
 *     return List.of(new ConfigSection("velero",
 *         ConfigSchema.fields().key("namespace", ConfigSchema.string()), "Velero step types"));
 *   }
 * }
 * }</pre>
 *
 * @param key the top-level key, e.g. {@code kubernetes}
 * @param schema the shape of its value
 * @param readBy who reads it, for messages and documentation
 */
public record ConfigSection(String key, ConfigSchema schema, String readBy) {

  /** Declares config sections; found with {@link ServiceLoader}. */
  public interface Provider {
    List<ConfigSection> sections();
  }

  /** Every section declared by a provider on the class path. */
  public static List<ConfigSection> installed() {
    List<ConfigSection> all = new ArrayList<>();
    for (Provider provider :
        ServiceLoader.load(Provider.class, ConfigSection.class.getClassLoader())) {
      all.addAll(provider.sections());
    }
    return List.copyOf(all);
  }
}
