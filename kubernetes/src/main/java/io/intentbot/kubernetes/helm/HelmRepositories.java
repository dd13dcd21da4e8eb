package io.intentbot.kubernetes.helm;

import io.intentbot.engine.config.ConfigException;
import io.intentbot.engine.config.IntentbotConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The chart repositories intentbot may add to helm, from config:
 *
 * <pre>{@code
 * helm:
 *   repositories:
 *     - { name: vmware-tanzu, url: https://vmware-tanzu.github.io/helm-charts }
 * }</pre>
 *
 * The config loader checks the shape ({@code KubernetesConfigSections}: a list of mappings with
 * exactly {@code name} and {@code url}); {@link #from} checks the values and throws a {@link
 * ConfigException} at start for a name helm would refuse or read as a flag, a name given twice, or
 * a URL that is not {@code http(s)://HOST/...} (an {@code oci://} registry is no chart repository:
 * name the chart {@code oci://...} in the step instead) or that carries credentials (they would
 * reach chat in plans).
 */
public final class HelmRepositories {

  /** Helm refuses a '/' in a name; a leading '-' would be read as a flag. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /** No repositories: only local charts and URLs can be upgraded. */
  public static final HelmRepositories NONE = new HelmRepositories(List.of());

  private final Map<String, HelmRepository> byName = new LinkedHashMap<>();

  private HelmRepositories(List<HelmRepository> repositories) {
    repositories.forEach(r -> byName.put(r.name(), r));
  }

  /** These repositories, checked as config is. */
  public static HelmRepositories of(HelmRepository... repositories) {
    List<Map<String, Object>> entries = new ArrayList<>();
    for (HelmRepository r : repositories) {
      entries.add(Map.of("name", r.name(), "url", r.url()));
    }
    return parse(entries);
  }

  /** {@code helm.repositories} of the config; none when absent. */
  public static HelmRepositories from(IntentbotConfig config) {
    Object value = config.section("helm").get("repositories");
    if (value == null) {
      return NONE;
    }
    if (!(value instanceof List<?> list)) {
      throw new ConfigException("helm.repositories must be a list of { name, url }");
    }
    return parse(list);
  }

  private static HelmRepositories parse(List<?> entries) {
    List<String> problems = new ArrayList<>();
    Map<String, HelmRepository> seen = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      String where = "helm.repositories[" + i + "]";
      if (!(entries.get(i) instanceof Map<?, ?> entry)) {
        problems.add(where + " must be a mapping { name, url }");
        continue;
      }
      String name = text(entry.get("name"));
      String url = text(entry.get("url"));
      if (!NAME.matcher(name).matches()) {
        problems.add(
            where
                + ".name '"
                + name
                + "' must be letters, digits, '.', '_' or '-', starting with a letter or digit"
                + " (charts name it before the slash: NAME/chart)");
      } else if (seen.containsKey(name)) {
        problems.add(where + ".name '" + name + "' is given twice: each name must be unique");
      }
      urlProblem(url).ifPresent(p -> problems.add(where + ".url '" + url + "' " + p));
      seen.putIfAbsent(name, new HelmRepository(name, url));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems));
    }
    return new HelmRepositories(List.copyOf(seen.values()));
  }

  private static Optional<String> urlProblem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("is not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("oci")) {
      return Optional.of(
          "is an OCI registry, not a chart repository: helm repo add does not take it; name the"
              + " chart oci://... in the step instead and leave it out of helm.repositories");
    }
    if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
      return Optional.of("must be an https:// (or http://) URL with a host");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of(
          "carries credentials: they would be shown in plans and chat; leave them out");
    }
    return Optional.empty();
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value).strip();
  }

  /** The repositories, in config order. */
  public List<HelmRepository> all() {
    return List.copyOf(byName.values());
  }

  /** The repository of this name. */
  public Optional<HelmRepository> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
