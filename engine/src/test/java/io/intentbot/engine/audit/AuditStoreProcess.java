package io.intentbot.engine.audit;

import java.time.Instant;
import java.util.Optional;

/**
 * A second process on the audit database, as the CLI is next to a running bot: opens the store at
 * {@code args[0]}, stores and seals a finished run {@code args[1]}, asks for lock {@code args[2]}
 * and prints {@code granted} or {@code holder=RUN}.
 */
public final class AuditStoreProcess {

  private AuditStoreProcess() {}

  public static void main(String[] args) {
    try (AuditStore store = AuditStores.open(args[0], null, null)) {
      store.createRun(Runs.finished(args[1], Runs.T0));
      store.seal(args[1]);
      Optional<String> holder = store.tryLock(args[2], args[1], Instant.now());
      System.out.println(holder.map(run -> "holder=" + run).orElse("granted"));
    }
  }
}
