package io.intentbot.bot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code create-nextjs-app} on the shipped {@code config/} and {@code intents/} (the README's "Try
 * it", no datasource added), as real processes in a fresh folder: any name works, two apps share
 * the shipped {@code apps-sandbox} H2 file each in a schema of its own, and an environment without
 * its {@code apps-ENV} datasource is refused, naming it and the fix.
 */
class CreateNextjsAppDefaultsIT {

  @TempDir Path dir;

  private Map<String, String> env() {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    return Map.of(
        "INTENTBOT_CONFIG", repo.resolve("config/intentbot.yaml").toString(),
        "INTENTBOT_INTENTS", repo.resolve("intents").toString(),
        "INTENTBOT_DATA", dir.resolve("data").toString(),
        "USER", "carol",
        "HOSTNAME", "test-host");
  }

  @Test
  void anyNameWorksOnTheShippedDefaultsAndTwoAppsNeverClash() throws Exception {
    CliProcess.Exit blog = CliProcess.run(dir, env(), "run", "create-nextjs-app", "name=blog");
    CliProcess.Exit shop = CliProcess.run(dir, env(), "run", "create-nextjs-app", "name=my-shop");
    // Refused while planning, before any relative path is used: in this JVM, no third start.
    StringWriter stagingErr = new StringWriter();
    int staging =
        IntentbotCommand.execute(
            new String[] {"run", "create-nextjs-app", "name=blog", "env=staging", "--dry-run"},
            env(),
            new PrintWriter(new StringWriter(), true),
            new PrintWriter(stagingErr, true));

    assertThat(blog.code()).as(blog.err()).isZero();
    assertThat(shop.code()).as(shop.err()).isZero();
    assertThat(blog.out()).contains("blog in apps-sandbox");
    assertThat(shop.out()).contains("my_shop in apps-sandbox");
    assertThat(dir.resolve("apps/my-shop/lib/db.ts")).content().contains("search_path=my_shop\"");
    assertThat(staging).as(stagingErr.toString()).isEqualTo(ExitCode.INVALID);
    assertThat(stagingErr.toString())
        .contains("unknown datasource 'apps-staging'")
        .contains("add it under datasources: in the config");
    Path apps = dir.resolve("data/apps/apps-sandbox");
    assertThat(Files.exists(apps.resolveSibling("apps-sandbox.mv.db"))).isTrue();
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + apps, "sa", "");
        Statement s = c.createStatement()) {
      List<Integer> checksums = new ArrayList<>();
      for (String schema : List.of("blog", "my_shop")) {
        try (ResultSet rs =
            s.executeQuery(
                "select \"checksum\" from \""
                    + schema
                    + "\".\"flyway_schema_history\" where \"version\" = '1'")) {
          assertThat(rs.next()).as("V1 in %s's own history", schema).isTrue();
          checksums.add(rs.getInt(1));
        }
      }
      assertThat(checksums.get(0)).as("V1 names its app").isNotEqualTo(checksums.get(1));
    }
  }
}
