package io.intentbot.kubernetes;

/**
 * The {@code with:} record of a cluster step type: each one may name the namespace it acts in; null
 * means the run environment's namespace for the app ({@link KubernetesClients#namespace}). A record
 * with a {@code String namespace} component implements it as it is.
 */
public interface Namespaced {

  String namespace();
}
