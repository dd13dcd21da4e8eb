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

/** create-nextjs-app: template copied and filled, schema created on H2, manifests checked. */
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
    assertThat(run.outputs()).containsEntry("schema_version", "1");
    assertThat(Files.readString(dir.resolve("package.json"))).contains("\"name\": \"shop\"");
    String deployment = Files.readString(dir.resolve("k8s/deployment.yaml"));
    assertThat(deployment)
        .contains("namespace: \"shop-sandbox\"")
        .contains("image: \"registry.test/shop:0.1.0\"")
        .doesNotContain("{{");
    assertThat(Files.readString(dir.resolve("k8s/ingress.yaml"))).contains("shop.example.org");
    try (Connection c = DriverManager.getConnection(catalog.dbUrl("shop-sandbox"), "sa", "");
        ResultSet rs = c.getMetaData().getColumns(null, "PUBLIC", "TODOS", "TITLE")) {
      assertThat(rs.next()).as("todos.title exists").isTrue();
    }
  }

  @Test
  void refusesToWriteOverAnExistingProjectOrWithoutADatabase() throws Exception {
    Path dir = Files.createDirectories(root.resolve("work/shop"));
    Files.writeString(dir.resolve("keep.txt"), "mine");

    assertThat(String.join("\n", catalog.invalid("create-nextjs-app", "name=shop", "dir=" + dir)))
        .contains("already has files");
    assertThat(
            String.join(
                "\n",
                catalog.invalid(
                    "create-nextjs-app", "name=blog", "dir=" + root.resolve("work/blog"))))
        .contains("unknown datasource 'blog-sandbox'");
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
