package io.intentbot.catalog;

import static io.intentbot.catalog.CatalogFixture.assertSucceeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.intentbot.engine.model.RunRecord;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hello: says hello as often as asked, and nothing else. */
class HelloIT {

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

  private String said(RunRecord run) {
    String text = catalog.step(run.id(), "say").outputText();
    return text.lines().filter(l -> !l.startsWith("$ ")).reduce((a, b) -> a + "\n" + b).orElse("");
  }

  @Test
  void saysHelloOnceByDefault() throws Exception {
    RunRecord run = catalog.run("hello", "name=Ada");
    assertSucceeded(run);
    assertThat(said(run)).isEqualTo("Hello, Ada.");
  }

  @Test
  void saysHelloAsManyTimesAsAsked() throws Exception {
    RunRecord twice = catalog.run("hello", "name=Ada", "times=2");
    assertSucceeded(twice);
    assertThat(said(twice)).isEqualTo("Hello, Ada!\nHello, Ada!");
    RunRecord most = catalog.run("hello", "times=5");
    assertThat(said(most).lines()).hasSize(5).containsOnly("Hello, world!");
    assertThat(catalog.ids(most.id())).doesNotContain("again:SKIPPED");
  }
}
