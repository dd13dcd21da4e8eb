package io.intentbot;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph of the main code of all three modules: acyclic, adapters on the engine's API
 * only, the engine free of Slack and Kubernetes, leaves that stay leaves. The bot module's test
 * classpath sees every module, so the rules live here.
 */
class ArchitectureTest {

  private static JavaClasses main;

  /** Test classes and the engine's test-jar are not the architecture. */
  private static final ImportOption MAIN_CODE_ONLY =
      (Location location) ->
          !location.contains("/test-classes/") && !location.contains("-tests.jar");

  @BeforeAll
  static void importMainCode() {
    main = new ClassFileImporter().withImportOption(MAIN_CODE_ONLY).importPackages("io.intentbot");
  }

  @Test
  void importsEveryModule() {
    assertThat(main.stream().map(c -> c.getPackageName()))
        .contains(
            "io.intentbot.engine",
            "io.intentbot.engine.internal",
            "io.intentbot.kubernetes.wiring",
            "io.intentbot.bot.slack");
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.intentbot.(**)").should().beFreeOfCycles().check(main);
  }

  @Test
  void adaptersUseOnlyTheEngineApi() {
    noClasses()
        .that()
        .resideInAnyPackage("io.intentbot.bot..", "io.intentbot.kubernetes..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.intentbot.engine.internal..")
        .check(main);
  }

  @Test
  void theEngineKnowsNoChatAndNoCluster() {
    noClasses()
        .that()
        .resideInAPackage("io.intentbot.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.intentbot.bot..", "io.intentbot.kubernetes..", "com.slack..", "io.fabric8..")
        .check(main);
  }

  @Test
  void kubernetesStepTypesKnowNoChat() {
    noClasses()
        .that()
        .resideInAPackage("io.intentbot.kubernetes..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.intentbot.bot..", "com.slack..")
        .check(main);
  }

  @Test
  void leavesStayLeaves() {
    classes()
        .that()
        .resideInAPackage("io.intentbot.engine.text")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.intentbot.engine.text")
        .check(main);
    classes()
        .that()
        .resideInAPackage("io.intentbot.engine.model")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "io.intentbot.engine.model",
            "io.intentbot.engine.config",
            "io.intentbot.engine.text")
        .check(main);
  }
}
