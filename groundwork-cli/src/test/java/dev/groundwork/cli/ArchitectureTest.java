package dev.groundwork.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/ARCHITECTURE.md, checked on the compiled classes of every module (this
 * module's test classpath holds them all): adapters reach the mechanisms only through the
 * application layer, and nothing below the adapters knows about them.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  /** The mechanism packages: index, embedders, loaders, the store and the HTTP client. */
  private static final String[] MECHANISMS = {"dev.groundwork.index..", "dev.groundwork.embeddings..", "dev.groundwork.ingest..",
      "dev.groundwork.store..", "dev.groundwork.http.."};

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.groundwork");
    assertThat(classes.stream().map(c -> c.getPackageName()).distinct())
        .as("the import must see the adapters, the app and the mechanisms, or the rules below check nothing")
        .contains("dev.groundwork.cli", "dev.groundwork.server", "dev.groundwork.app", "dev.groundwork.index.lucene", "dev.groundwork.store.jdbc");
  }

  @Test
  void theServerUsesOnlyTheApplicationLayer() {
    check(noClasses().that().resideInAPackage("dev.groundwork.server..").should().dependOnClassesThat().resideInAnyPackage(MECHANISMS)
        .orShould().dependOnClassesThat().resideInAnyPackage("dev.groundwork.models..", "dev.groundwork.eval..", "dev.groundwork.cli.."));
  }

  @Test
  void theCliBuildsNoProjectWiring() {
    // the CLI's commands open a project through the app; the gateway benchmark's own upstream client and
    // `models pull` (a download, not project wiring) are the named exceptions
    check(noClasses().that().resideInAPackage("dev.groundwork.cli..").and().doNotHaveSimpleName("BenchGatewayCommand")
        .should().dependOnClassesThat().resideInAnyPackage(MECHANISMS)
        .orShould().dependOnClassesThat().resideInAnyPackage("dev.groundwork.models.openai..", "dev.groundwork.models.anthropic..",
            "dev.groundwork.models.langchain4j.."));
  }

  @Test
  void nothingBelowTheAdaptersUsesThem() {
    check(noClasses().that().resideOutsideOfPackages("dev.groundwork.cli..", "dev.groundwork.server..", "dev.groundwork.bench..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.groundwork.cli..", "dev.groundwork.server..", "dev.groundwork.bench.."));
  }

  @Test
  void capabilitiesAndMechanismsDoNotUseTheApplicationLayer() {
    check(noClasses().that().resideOutsideOfPackages("dev.groundwork.app..", "dev.groundwork.cli..", "dev.groundwork.server..", "dev.groundwork.bench..")
        .should().dependOnClassesThat().resideInAPackage("dev.groundwork.app.."));
  }

  @Test
  void theCoreKnowsNoVendorFormatFrameworkOrNetwork() {
    check(noClasses().that().resideInAPackage("dev.groundwork.core..").and().resideOutsideOfPackage("dev.groundwork.http..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.lucene..", "io.javalin..", "picocli..", "com.fasterxml..", "ai.onnxruntime.."));
  }

  private static void check(ArchRule rule) {
    EvaluationResult r = rule.evaluate(classes);
    assertThat(r.getFailureReport().getDetails()).as(rule.getDescription()).isEmpty();
  }
}
