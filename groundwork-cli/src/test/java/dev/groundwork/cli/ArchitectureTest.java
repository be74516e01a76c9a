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
    // the CLI's commands open a project, models and logs through the app, with no exceptions
    check(noClasses().that().resideInAPackage("dev.groundwork.cli..")
        .should().dependOnClassesThat().resideInAnyPackage(MECHANISMS)
        .orShould().dependOnClassesThat().resideInAnyPackage("dev.groundwork.models.."));
  }

  @Test
  void theCliUsesEvalResultsButRunsNothingOfTheEvalModule() {
    // runs, comparisons and suites are the records the app's eval use cases return; loading, running,
    // storing and reporting go through the app
    var evalService = com.tngtech.archunit.base.DescribedPredicate.<com.tngtech.archunit.core.domain.JavaClass>describe(
        "eval classes other than records and enums", c -> c.getPackageName().startsWith("dev.groundwork.eval") && !c.isRecord() && !c.isEnum()
            && !c.getEnclosingClass().map(e -> e.isRecord()).orElse(false));
    check(noClasses().that().resideInAPackage("dev.groundwork.cli..").should().dependOnClassesThat(evalService));
  }

  @Test
  void theCliUsesTheCapabilitiesOnlyThroughTheAppOrTheBenches() {
    // routing and tuning reach the CLI as records (outcomes, epochs, results); training, reading and
    // scoring go through the app (versions) or through the bench runners
    var service = com.tngtech.archunit.base.DescribedPredicate.<com.tngtech.archunit.core.domain.JavaClass>describe(
        "routing, tuning and advisor classes other than records and enums", c -> (c.getPackageName().startsWith("dev.groundwork.routing")
            || c.getPackageName().startsWith("dev.groundwork.tuning") || c.getPackageName().startsWith("dev.groundwork.advisor")) && !c.isRecord()
            && !c.isEnum());
    check(noClasses().that().resideInAPackage("dev.groundwork.cli..").should().dependOnClassesThat(service));
  }

  @Test
  void theBenchesBuildNoProjectWiring() {
    // the bench runners get their index, embedder, models and logs from the app; of the mechanisms they
    // touch only the HTTP client, whose speed `bench http` and the load generators measure
    check(noClasses().that().resideInAPackage("dev.groundwork.bench..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.groundwork.index..", "dev.groundwork.embeddings..", "dev.groundwork.ingest..", "dev.groundwork.store..", "dev.groundwork.models..")
        .orShould().dependOnClassesThat().resideInAnyPackage("dev.groundwork.cli..", "dev.groundwork.server.."));
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
