package dev.groundwork.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceFilesTest {
  @TempDir Path root;

  void write(String rel) throws Exception {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, "text of " + rel);
  }

  @Test
  void expandsFoldersGlobsAndFiles() throws Exception {
    write("docs/a.md");
    write("docs/sub/b.txt");
    write("docs/sub/c.png");
    write("docs/.hidden/d.md");
    write("other/e.md");
    SourceFiles sf = new SourceFiles(root, Set.of("md", "txt"));
    assertThat(sf.expand(List.of("docs")).files()).extracting(SourceFiles.Entry::id).containsExactly("docs/a.md", "docs/sub/b.txt");
    assertThat(sf.expand(List.of("docs/**.md")).files()).extracting(SourceFiles.Entry::id).containsExactly("docs/a.md");
    assertThat(sf.expand(List.of("other/e.md", "docs/sub/c.png")).files()).extracting(SourceFiles.Entry::id).containsExactly("docs/sub/c.png", "other/e.md");
    SourceFiles.Expansion e = sf.expand(List.of("docs"));
    assertThat(e.inScope().test("docs/gone.md")).isTrue();
    assertThat(e.inScope().test("other/e.md")).isFalse();
  }

  @Test
  void reportsMissingSourcesAndSymlinkLoops() throws Exception {
    write("docs/a.md");
    Files.createSymbolicLink(root.resolve("docs/loop"), root.resolve("docs"));
    SourceFiles.Expansion e = new SourceFiles(root, Set.of("md")).expand(List.of("docs", "nope.md"));
    assertThat(e.files()).extracting(SourceFiles.Entry::id).containsExactly("docs/a.md");
    assertThat(e.problems()).extracting(SourceFiles.Problem::reason).contains("symbolic link loop");
    assertThat(e.missing()).containsExactly("nope.md"); // reported as "not found" by the pipeline unless it was indexed
  }
}
