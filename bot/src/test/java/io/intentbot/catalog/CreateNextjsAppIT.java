package io.intentbot.catalog;

import static io.intentbot.catalog.CatalogFixture.assertSucceeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * create-nextjs-app: template copied and filled, the app's schema created in the apps database on
 * H2 (a schema per app, each with its own Flyway history), manifests checked.
 */
class CreateNextjsAppIT {

  @TempDir Path root;
  private CatalogFixture catalog;

  @BeforeEach
  void start() {
    catalog = new CatalogFixture(root);
  }

  @AfterEach
  void stop() {
    catalog.close();
  }

  @Test
  void scaffoldsTheAppCreatesItsSchemaAndSmokeTestsTheResult() throws Exception {
    Path dir = root.resolve("work/shop");
    assertThat(catalog.plan("create-nextjs-app", "name=shop", "dir=" + dir))
        .contains("write package.json")
        .contains("write k8s/deployment.yaml");
    assertThat(dir).doesNotExist();

    RunRecord run =
        catalog.run("create-nextjs-app", "name=shop", "dir=" + dir, "host=shop.example.org");

    assertSucceeded(run);
    assertThat(run.outputs().get("manifests").toString())
        .isEqualTo("Deployment/shop, Service/shop, Ingress/shop");
    assertThat(run.outputs())
        .containsEntry("schema_version", "1")
        .containsEntry("schema", "shop in apps-sandbox");
    assertThat(Files.readString(dir.resolve("package.json"))).contains("\"name\": \"shop\"");
    String deployment = Files.readString(dir.resolve("k8s/deployment.yaml"));
    assertThat(deployment)
        .contains("namespace: \"shop-sandbox\"")
        .contains("image: \"registry.test/shop:0.1.0\"")
        .doesNotContain("{{");
    assertThat(Files.readString(dir.resolve("k8s/ingress.yaml"))).contains("shop.example.org");
    try (Connection c = DriverManager.getConnection(catalog.dbUrl("apps-sandbox"), "sa", "");
        ResultSet rs = c.getMetaData().getColumns(null, "shop", "TODOS", "TITLE")) {
      assertThat(rs.next()).as("todos.title exists").isTrue();
    }
    assertThat(Files.readString(dir.resolve("lib/db.ts"))).contains("search_path=shop\"");
  }

  @Test
  void twoAppsShareTheAppsDatabaseEachInItsOwnSchemaAndFlywayHistory() throws Exception {
    RunRecord shop = catalog.run("create-nextjs-app", "name=shop", "dir=" + root.resolve("shop"));
    RunRecord blog =
        catalog.run("create-nextjs-app", "name=my-blog", "dir=" + root.resolve("my-blog"));
    RunRecord again =
        catalog.run("create-nextjs-app", "name=shop", "dir=" + root.resolve("shop-again"));

    assertSucceeded(shop);
    assertSucceeded(blog);
    assertSucceeded(again);
    assertThat(blog.outputs())
        .containsEntry("schema_version", "1")
        .containsEntry("schema", "my_blog in apps-sandbox");
    assertThat(catalog.step(again.id(), "schema").outputs())
        .as("the same app's V1 again: its checksum matches its own history")
        .containsEntry("applied", 0);
    try (Connection c = DriverManager.getConnection(catalog.dbUrl("apps-sandbox"), "sa", "")) {
      int shopV1 = v1Checksum(c, "shop");
      int blogV1 = v1Checksum(c, "my_blog");
      assertThat(shopV1).as("V1 names its app, so the checksums differ").isNotEqualTo(blogV1);
      try (ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "%", null)) {
        assertThat(rs.next()).as("nothing in the default schema").isFalse();
      }
    }
  }

  private static int v1Checksum(Connection c, String schema) throws Exception {
    try (java.sql.Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select \"checksum\" from \""
                    + schema
                    + "\".\"flyway_schema_history\" where \"version\" = '1'")) {
      assertThat(rs.next()).as("V1 in %s's own history", schema).isTrue();
      return rs.getInt(1);
    }
  }

  @Test
  void refusesToWriteOverAnExistingProjectOrWithoutAConfiguredDatasource() throws Exception {
    Path dir = Files.createDirectories(root.resolve("work/shop"));
    Files.writeString(dir.resolve("keep.txt"), "mine");

    assertThat(String.join("\n", catalog.invalid("create-nextjs-app", "name=shop", "dir=" + dir)))
        .contains("already has files");
    assertThat(
            String.join(
                "\n",
                catalog.invalid(
                    "create-nextjs-app",
                    "name=blog",
                    "env=staging",
                    "dir=" + root.resolve("work/blog"))))
        .contains("unknown datasource 'apps-staging'")
        .contains("to use 'apps-staging', add it under datasources: in the config");
    assertThat(
            String.join(
                "\n",
                catalog.invalid(
                    "create-nextjs-app",
                    "name=blog",
                    "datasource=blog-db",
                    "dir=" + root.resolve("work/blog"))))
        .contains("unknown datasource 'blog-db'")
        .contains("add it under datasources:");
    assertThat(root.resolve("work/blog")).doesNotExist();
    assertThat(
            String.join(
                "\n",
                catalog.invalid("create-nextjs-app", "name=Shop!", "dir=" + root.resolve("x"))))
        .contains("name");
    assertThat(
            String.join(
                "\n", catalog.invalid("create-nextjs-app", "name=shop", "dir=work/../../etc")))
        .contains("dir");
    assertThat(Files.readString(dir.resolve("keep.txt"))).isEqualTo("mine");
  }
}
