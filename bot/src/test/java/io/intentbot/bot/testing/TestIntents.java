package io.intentbot.bot.testing;

import io.intentbot.engine.config.GroupDirectory;
import io.intentbot.engine.testing.EngineFixture;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bot tests' intents and config, and the engine fixture over them: {@code deploy-app} (set,
 * wait, set), {@code chatty} (a shell step printing 30 lines) and {@code status-check} (read-only).
 * Production is protected: approvers U0APPROVER and U0OTHER and group S0SRE.
 */
public final class TestIntents {

  public static final String CONFIG =
      """
      apps: [web, api]
      environments:
        sandbox: { namespace: "{app}-sandbox" }
        production:
          namespace: "{app}"
          protected: true
          break_glass: true
          approval: { approvers: [U0APPROVER, U0OTHER], groups: [S0SRE], required: 1, self_approval: false, expires_after: 30m }
      """;

  public static final String DEPLOY =
      """
      name: deploy-app
      description: Roll a new version of an app out to an environment
      risk: mutating
      parameters:
        app: { type: app, required: true, description: which app }
        env: { type: environment, required: true }
        version: { type: string, pattern: '^\\d+\\.\\d+\\.\\d+$', default: "1.0.0", description: image tag }
        replicas: { type: integer, min: 1, max: 20, default: 2 }
      steps:
        - id: version
          type: set
          with: { version: "${{ params.version }}" }
        - id: settle
          type: wait
          with: { duration: 50ms, message: settling }
        - id: done
          type: set
          with: { replicas: "${{ params.replicas }}" }
      """;

  public static final String CHATTY =
      """
      name: chatty
      description: Prints many lines
      risk: mutating
      parameters:
        env: { type: environment, required: true }
      steps:
        - id: print
          type: shell
          with: { command: [seq, "1", "30"] }
      """;

  public static final String STATUS =
      """
      name: status-check
      description: Look without touching
      risk: read-only
      parameters:
        app: { type: app, required: true }
      steps:
        - id: look
          type: set
          with: { seen: "${{ params.app }}" }
      """;

  private TestIntents() {}

  /**
   * An {@link EngineFixture} on {@code dir} with these intents (written unless the folder has
   * intents already), {@link #CONFIG}, {@code groups} and the audit database's default H2 file
   * opened without a user, as {@code serve} opens it; nothing is built yet.
   */
  public static EngineFixture engine(Path dir, GroupDirectory groups) {
    Path intents = dir.resolve("intents");
    boolean present = Files.isDirectory(intents);
    EngineFixture fixture = new EngineFixture(dir);
    if (!present) {
      fixture.intent("deploy-app", DEPLOY).intent("chatty", CHATTY).intent("status-check", STATUS);
    }
    return fixture.config(CONFIG).groups(groups).database(fixture.dbUrl(), null, null);
  }
}
