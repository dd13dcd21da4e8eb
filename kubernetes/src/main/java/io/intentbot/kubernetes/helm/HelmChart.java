package io.intentbot.kubernetes.helm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where {@code helm.upgrade}'s chart comes from, told apart as Helm's own chart lookup does, but
 * with local paths under the intents folder: a chart folder or {@code .tgz} there; a URL ({@code
 * oci://}, {@code https://}), passed as it is; else {@code REPO/CHART}, whose repository must be in
 * config ({@code helm.repositories}). Anything else fails closed, naming the fix, before helm runs.
 *
 * @param argument what helm gets as the chart
 * @param local the chart folder or archive, when local
 * @param repository the configured repository the chart comes from, when {@code REPO/CHART}
 */
record HelmChart(String argument, Optional<Path> local, Optional<HelmRepository> repository) {

  /** The chart folder or {@code .tgz} under {@code intentsDir} that {@code chart} names, if any. */
  static Optional<Path> local(String chart, Path intentsDir) {
    if (chart.contains("://")) {
      return Optional.empty();
    }
    Path local = intentsDir.resolve(chart);
    return Files.isDirectory(local) || chart.endsWith(".tgz") && Files.isRegularFile(local)
        ? Optional.of(local)
        : Optional.empty();
  }

  /**
   * @throws IllegalArgumentException when the chart is no local chart, no URL, and not {@code
   *     REPO/CHART} of a configured repository
   */
  static HelmChart resolve(String chart, Path intentsDir, HelmRepositories repositories) {
    Optional<Path> local = local(chart, intentsDir);
    if (local.isPresent()) {
      return new HelmChart(local.get().toString(), local, Optional.empty());
    }
    if (chart.contains("://")) {
      return new HelmChart(chart, Optional.empty(), Optional.empty());
    }
    String configured =
        repositories.all().isEmpty()
            ? "none is configured"
            : "configured: "
                + repositories.all().stream()
                    .map(HelmRepository::name)
                    .collect(Collectors.joining(", "));
    int slash = chart.indexOf('/');
    if (slash <= 0 || chart.startsWith(".") || slash == chart.length() - 1) {
      throw new IllegalArgumentException(
          "chart '"
              + chart
              + "' is no chart folder or .tgz in the intents folder (looked at "
              + intentsDir.resolve(chart)
              + "), no REPO/CHART of a chart repository in helm.repositories ("
              + configured
              + ") and no oci:// or https:// URL");
    }
    String name = chart.substring(0, slash);
    return repositories
        .get(name)
        .map(r -> new HelmChart(chart, Optional.<Path>empty(), Optional.of(r)))
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "chart '"
                        + chart
                        + "' names chart repository '"
                        + name
                        + "', which the intentbot config does not list ("
                        + configured
                        + "), and is no chart folder or .tgz in the intents folder (looked at "
                        + intentsDir.resolve(chart)
                        + "): add it to the config as helm: { repositories: [{ name: "
                        + name
                        + ", url: https://... }] }, or fix the chart"));
  }
}
