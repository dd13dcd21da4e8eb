package io.intentbot.kubernetes.helm;

import java.util.List;

/**
 * A chart repository from config ({@code helm: { repositories: [{ name, url }] }}): charts named
 * {@code NAME/chart} come from it. {@link HelmRepositories#from} has checked both values.
 *
 * @param name what charts put before the slash, e.g. {@code vmware-tanzu}
 * @param url the repository's {@code https://} (or {@code http://}) URL, without credentials
 */
public record HelmRepository(String name, String url) {

  /**
   * {@code helm repo add NAME URL --force-update}: adds the repository, or replaces an entry of the
   * same name that points elsewhere (config is the truth), and downloads its index, so the newest
   * chart versions are known before the upgrade (Helm downloads the index on every forced add).
   */
  List<String> addArgs() {
    return List.of("repo", "add", name, url, "--force-update");
  }
}
