package io.intentbot.engine.internal;

import io.intentbot.engine.config.DatasourceConfig;
import io.intentbot.engine.config.IntentbotConfig;
import io.intentbot.engine.definition.IntentCatalog;
import io.intentbot.engine.model.RunRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The secrets every run masks besides its own secret parameters: the ones the engine was built with
 * ({@link io.intentbot.engine.Engine.Builder#secrets}: the adapter's tokens and signing secret, the
 * audit database's password) and every datasource's password. Each run gets a {@link Redactor} of
 * its own that starts with them.
 */
final class SecretMasks {

  private final List<String> always;

  SecretMasks(IntentbotConfig config, Collection<String> processSecrets) {
    List<String> values = new ArrayList<>(processSecrets);
    config.datasources().values().stream()
        .map(DatasourceConfig::password)
        .filter(Objects::nonNull)
        .forEach(values::add);
    this.always = List.copyOf(values);
  }

  /** A new redactor for one run: these secrets and the run's own. */
  Redactor forRun(Iterable<String> runSecrets) {
    Redactor redactor = new Redactor(always);
    runSecrets.forEach(redactor::addSecret);
    return redactor;
  }

  /**
   * A redactor for what the engine answers {@code request}: these secrets and the values given to
   * the intent's secret parameters (with or without surrounding blanks), before they are bound.
   */
  Redactor forRequest(RunRequest request, IntentCatalog catalog) {
    Redactor redactor = process();
    catalog
        .find(request.intent())
        .ifPresent(
            intent -> {
              for (String argument : request.arguments()) {
                int eq = argument.indexOf('=');
                String key = eq < 0 ? null : argument.substring(0, eq).trim();
                intent.parameters().stream()
                    .filter(p -> p.secret() && p.name().equals(key))
                    .findFirst()
                    .ifPresent(p -> redactor.addSecret(argument.substring(eq + 1)));
              }
            });
    return redactor;
  }

  /** A redactor of these secrets alone, for what belongs to no run yet. */
  Redactor process() {
    return new Redactor(always);
  }
}
