package dev.groundwork.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java example, taken from the README itself, compiles and prints the cited source. */
class ReadmeExampleTest {
  @TempDir Path tmp;

  /** The code block after the marker line in README.md. */
  static String example() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int marker = readme.indexOf("<!-- java-example: compiled and run by ReadmeExampleTest -->");
    assertThat(marker).as("README.md has the marked Java example").isGreaterThan(0);
    int start = readme.indexOf("```java\n", marker) + "```java\n".length();
    return readme.substring(start, readme.indexOf("```", start));
  }

  @Test
  void theReadmeProgramIngestsAsksAndPrintsTheCitedSource() throws Exception {
    String source = example();
    assertThat(source.lines().filter(l -> !l.isBlank() && !l.startsWith("import")).count()).as("a short program").isLessThanOrEqualTo(12);
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("Example.java"), source);
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int rc = javac.run(null, diagnostics, diagnostics, "-cp", System.getProperty("java.class.path"), "-d", classes.toString(),
        src.resolve("Example.java").toString());
    assertThat(rc).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();

    Path project = Files.createDirectories(tmp.resolve("my-project"));
    Files.createDirectories(project.resolve("docs"));
    Files.writeString(project.resolve("docs/retention.md"), "# Retention\n\nDead jobs are kept for 30 days. Succeeded jobs are kept for 14 days.\n");
    Files.writeString(project.resolve("docs/queues.md"), "# Queues\n\nA queue holds jobs until a worker takes them. Pause a queue with tw pause.\n");

    // the example opens Path.of("my-project"): run it as its own process, in the folder that holds it
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(javaBin, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-cp",
        classes + java.io.File.pathSeparator + System.getProperty("java.class.path"), "Example")
        .directory(tmp.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("exit code; stdout: " + out).isZero();
    assertThat(out.strip()).isEqualTo("docs/retention.md");
  }
}
