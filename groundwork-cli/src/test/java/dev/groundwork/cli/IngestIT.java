package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingest through the CLI with real files: bad inputs, incremental updates, exit codes. */
class IngestIT {
  @TempDir Path dir;

  Path write(String rel, String text) throws Exception {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  static List<String> skippedSources(JsonNode report) {
    List<String> out = new ArrayList<>();
    for (JsonNode s : report.get("skipped")) out.add(s.get("source").asText() + ": " + s.get("reason").asText());
    return out;
  }

  @Test
  void badFilesAreSkippedWithAReasonAndTheRestIsIngested() throws Exception {
    Files.writeString(dir.resolve("groundwork.yaml"), "ingest:\n  max_file_mb: 1\n");
    write("docs/good.md", "# Good\n\nThe zanzibar widget ships in blue.\n");
    write("docs/notes.txt", "Plain notes about the quokka gateway.\n");
    Files.write(dir.resolve("docs/broken.pdf"), "%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage".getBytes(StandardCharsets.US_ASCII));
    Files.write(dir.resolve("docs/binary.txt"), new byte[] {0x7f, 'E', 'L', 'F', 0, 0, 0, 1, 2});
    Files.write(dir.resolve("docs/empty.md"), new byte[0]);
    Files.write(dir.resolve("docs/latin1.txt"), "caf\u00e9 cr\u00e8me".getBytes(StandardCharsets.ISO_8859_1));
    Files.write(dir.resolve("docs/huge.txt"), "word ".repeat(300_000).getBytes(StandardCharsets.US_ASCII)); // 1.5 MB
    Files.createSymbolicLink(dir.resolve("docs/loop"), dir.resolve("docs"));
    Files.createSymbolicLink(dir.resolve("docs/dangling.md"), dir.resolve("nowhere.md"));

    Cli c = Cli.run("ingest", "-C", dir.toString(), "--json", "docs");
    assertThat(c.code()).as(c.err()).isEqualTo(Main.PARTIAL);
    JsonNode r = c.json();
    assertThat(r.get("added").asInt()).isEqualTo(2);
    assertThat(skippedSources(r)).anySatisfy(s -> assertThat(s).startsWith("docs/broken.pdf: corrupt PDF"))
        .anySatisfy(s -> assertThat(s).startsWith("docs/binary.txt: binary file"))
        .anySatisfy(s -> assertThat(s).isEqualTo("docs/empty.md: empty file"))
        .anySatisfy(s -> assertThat(s).startsWith("docs/latin1.txt: invalid UTF-8 at byte 3"))
        .anySatisfy(s -> assertThat(s).startsWith("docs/huge.txt: file is 1.4 MiB, over the limit of 1 MiB").contains("ingest.max_file_mb"))
        .anySatisfy(s -> assertThat(s).isEqualTo("docs/loop: symbolic link loop"))
        .anySatisfy(s -> assertThat(s).startsWith("docs/dangling.md: "));
    // every skip was also announced on stderr with the file name
    assertThat(c.err()).contains("skipped docs/broken.pdf", "skipped docs/latin1.txt");
    // the good files are searchable
    JsonNode hits = Cli.run("search", "-C", dir.toString(), "--json", "--mode", "bm25", "zanzibar widget").json().get("hits");
    assertThat(hits.get(0).get("source").asText()).isEqualTo("docs/good.md");
  }

  @Test
  void unreadableFilesAreSkipped() throws Exception {
    write("docs/a.md", "# A\n\nReadable text about ferrets.\n");
    Path secret = write("docs/secret.md", "# Secret\n\nHidden.\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
    boolean root = Files.isReadable(secret); // root reads anything; then only the dangling-link case applies
    Files.createSymbolicLink(dir.resolve("docs/gone.md"), dir.resolve("docs/missing-target.md"));
    Cli c = Cli.run("ingest", "-C", dir.toString(), "--json", "docs");
    assertThat(c.code()).isEqualTo(Main.PARTIAL);
    List<String> skipped = skippedSources(c.json());
    assertThat(skipped).anySatisfy(s -> assertThat(s).startsWith("docs/gone.md: "));
    if (!root) assertThat(skipped).anySatisfy(s -> assertThat(s).isEqualTo("docs/secret.md: permission denied"));
  }

  @Test
  void ingestIsIncrementalAndKeepsTheOldVersionOfAFileThatTurnedBad() throws Exception {
    write("docs/a.md", "# Alpha\n\nThe alpha service uses port 1111.\n");
    write("docs/b.md", "# Beta\n\nThe beta service uses port 2222.\n");
    write("docs/c.md", "# Gamma\n\nThe gamma service uses port 3333.\n");
    JsonNode first = Cli.run("ingest", "-C", dir.toString(), "--json", "docs").json();
    assertThat(first.get("added").asInt()).isEqualTo(3);

    JsonNode second = Cli.run("ingest", "-C", dir.toString(), "--json", "docs").json();
    assertThat(second.get("unchanged").asInt()).isEqualTo(3);
    assertThat(second.get("embedded").asInt()).isZero();

    write("docs/a.md", "# Alpha\n\nThe alpha service now uses port 4444.\n");
    Files.delete(dir.resolve("docs/b.md"));
    Files.write(dir.resolve("docs/c.md"), new byte[] {(byte) 0xff, (byte) 0xfe, 'x'}); // now invalid UTF-8
    Cli third = Cli.run("ingest", "-C", dir.toString(), "--json", "docs");
    assertThat(third.code()).isEqualTo(Main.PARTIAL);
    JsonNode t = third.json();
    assertThat(t.get("updated").asInt()).isEqualTo(1);
    assertThat(t.get("deleted").asInt()).isEqualTo(1);
    assertThat(skippedSources(t)).singleElement().asString().startsWith("docs/c.md: invalid UTF-8");

    assertThat(bm25Sources("port 4444")).first().isEqualTo("docs/a.md");
    assertThat(bm25Sources("1111")).isEmpty();
    assertThat(bm25Sources("beta 2222")).doesNotContain("docs/b.md");
    assertThat(bm25Sources("gamma 3333")).first().isEqualTo("docs/c.md"); // the last good version is kept
  }

  @Test
  void anExplicitlyNamedFileThatWasDeletedIsRemovedWithoutAComplaint() throws Exception {
    write("docs/a.md", "# Alpha\n\nThe alpha service uses port 1111.\n");
    assertThat(Cli.run("ingest", "-C", dir.toString(), "docs/a.md").code()).isZero();
    Files.delete(dir.resolve("docs/a.md"));
    Cli c = Cli.run("ingest", "-C", dir.toString(), "--json", "docs/a.md");
    assertThat(c.code()).isZero();
    assertThat(c.json().get("deleted").asInt()).isEqualTo(1);
    assertThat(c.err()).doesNotContain("skipped");
    Cli never = Cli.run("ingest", "-C", dir.toString(), "--json", "docs/never.md");
    assertThat(never.code()).isEqualTo(Main.PARTIAL);
    assertThat(skippedSources(never.json())).containsExactly("docs/never.md: not found");
  }

  @Test
  void chunkingChangesReindexEverythingAndRebuildStartsOver() throws Exception {
    write("docs/a.md", "# Alpha\n\nThe alpha service uses port 1111.\n");
    Cli.run("ingest", "-C", dir.toString(), "docs");
    Files.writeString(dir.resolve("groundwork.yaml"), "chunking:\n  max_tokens: 128\n");
    JsonNode r = Cli.run("ingest", "-C", dir.toString(), "--json", "docs").json();
    assertThat(r.get("updated").asInt()).isEqualTo(1);
    JsonNode rebuilt = Cli.run("ingest", "-C", dir.toString(), "--json", "--rebuild", "docs").json();
    assertThat(rebuilt.get("added").asInt()).isEqualTo(1);
    assertThat(rebuilt.get("cached").asInt()).isEqualTo(1); // embeddings come from the cache
  }

  @Test
  void configErrorsAreUsageErrorsThatNameTheKey() throws Exception {
    Files.writeString(dir.resolve("groundwork.yaml"), "chunking:\n  max_tokens: lots\n");
    Cli c = Cli.run("ingest", "-C", dir.toString(), "docs");
    assertThat(c.code()).isEqualTo(Main.USAGE);
    assertThat(c.err()).contains("groundwork.yaml: chunking.max_tokens: must be a whole number in 16..8192, got 'lots'");
  }

  @Test
  void initWritesTheTemplateOnceAndGlobsWork() throws Exception {
    Cli init = Cli.run("init", "-C", dir.toString());
    assertThat(init.code()).isZero();
    assertThat(Files.readString(dir.resolve("groundwork.yaml"))).contains("# groundwork.yaml").contains("max_tokens: 256");
    assertThat(Cli.run("init", "-C", dir.toString()).code()).isEqualTo(Main.USAGE);
    write("docs/x.md", "# X\n\nmarkdown file\n");
    write("docs/y.txt", "text file");
    JsonNode r = Cli.run("ingest", "-C", dir.toString(), "--json", "docs/*.md").json();
    assertThat(r.get("added").asInt()).isEqualTo(1);
  }

  List<String> bm25Sources(String q) {
    List<String> out = new ArrayList<>();
    for (JsonNode h : Cli.run("search", "-C", dir.toString(), "--json", "--mode", "bm25", q).json().get("hits")) out.add(h.get("source").asText());
    return out;
  }
}
