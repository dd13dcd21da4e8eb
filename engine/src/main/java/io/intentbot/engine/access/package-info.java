/**
 * Who may do what: the {@code access:} rules, break-glass rights, freeze windows and the identity
 * of terminal users, decided from the config and explained in typed {@link
 * io.intentbot.engine.model.Refusal}s. The engine asks {@link
 * io.intentbot.engine.access.AccessPolicy} for every request from every adapter.
 */
package io.intentbot.engine.access;
