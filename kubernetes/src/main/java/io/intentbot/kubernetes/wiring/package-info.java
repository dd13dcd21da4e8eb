/**
 * Assembles the module's step types from the config and a cluster client ({@link
 * io.intentbot.kubernetes.wiring.KubernetesStepTypes}); the only package that knows every other
 * package of the module, so none of them depends back on it.
 */
package io.intentbot.kubernetes.wiring;
