package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void defaultsToTheCurrentDirectoryButNeverToTheSourceTree() throws Exception {
    assertThat(DemoCommand.defaultDir(dir)).isEqualTo(dir);
    Files.createDirectories(dir.resolve("groundwork-cli"));
    Files.writeString(dir.resolve("groundwork-cli/pom.xml"), "<project/>");
    assertThat(DemoCommand.defaultDir(dir)).isEqualTo(dir.resolve("demo"));
  }

  @Test
  void theCorpusListMatchesTheBundledFiles() throws Exception {
    for (String f : DemoCommand.corpusFiles()) {
      assertThat(DemoCommand.class.getResource("/demo/corpus/" + f)).as(f).isNotNull();
    }
    assertThat(DemoCommand.QUESTIONS).hasSizeGreaterThanOrEqualTo(5);
  }
}
