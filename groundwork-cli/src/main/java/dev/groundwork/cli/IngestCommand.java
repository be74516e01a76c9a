package dev.groundwork.cli;

import dev.groundwork.app.Json;
import dev.groundwork.app.Project;
import dev.groundwork.core.ingest.IngestReport;
import dev.groundwork.core.ingest.SourceFiles;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "ingest", mixinStandardHelpOptions = true, description = {
    "Load, chunk, embed and index files, folders or globs (.txt .md .html .pdf).", "",
    "Incremental: unchanged files are skipped, changed ones re-indexed, deleted ones removed.",
    "Files that cannot be read are skipped with a reason (exit code 3); the rest is ingested.", "",
    "Example:",
    "  $ groundwork ingest docs/",
    "  ingested 23 files in 6.1 s: 23 added, 0 updated, 0 unchanged, 0 deleted",
    "  181 chunks (181 embedded, 0 from cache)"})
final class IngestCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Parameters(paramLabel = "PATH", arity = "0..*", description = "Files, folders or globs (quote globs). Default: `sources` in groundwork.yaml.")
  List<String> paths = new ArrayList<>();

  @Option(names = "--rebuild", description = "Delete the index first and ingest everything again (the embedding cache is kept).")
  boolean rebuild;

  @Option(names = "--json", description = "Print the summary as one JSON document on stdout.")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (Project p = Project.open(project.root(), true)) {
      List<String> sources = paths.isEmpty() ? p.config().sources() : paths;
      if (rebuild) p.deleteIndex();
      IngestReport r;
      try (Progress progress = new Progress(Main.err(spec), "ingest", "files")) {
        r = p.ingestPipeline(progress).ingestPaths(sources);
      }
      print(r, spec.commandLine().getOut(), json);
      return r.skipped().isEmpty() ? Main.OK : Main.PARTIAL;
    }
  }

  static void print(IngestReport r, PrintWriter out, boolean json) {
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("files", r.files());
      m.put("added", r.added());
      m.put("updated", r.updated());
      m.put("unchanged", r.unchanged());
      m.put("deleted", r.deleted());
      m.put("chunks", r.chunks());
      m.put("embedded", r.embedded());
      m.put("cached", r.cached());
      List<Map<String, String>> skipped = new ArrayList<>();
      for (SourceFiles.Problem s : r.skipped()) skipped.add(Map.of("source", s.source(), "reason", s.reason()));
      m.put("skipped", skipped);
      m.put("seconds", Json.round(r.seconds()));
      out.println(Json.write(m));
      return;
    }
    out.printf("ingested %d files in %.1f s: %d added, %d updated, %d unchanged, %d deleted%n",
        r.files(), r.seconds(), r.added(), r.updated(), r.unchanged(), r.deleted());
    out.printf("%d chunks (%d embedded, %d from cache)%n", r.chunks(), r.embedded(), r.cached());
    if (!r.skipped().isEmpty()) {
      out.printf("skipped %d:%n", r.skipped().size());
      for (SourceFiles.Problem s : r.skipped()) out.printf("  %s: %s%n", s.source(), s.reason());
    }
  }
}
