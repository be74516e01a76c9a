package dev.groundwork.cli;

import dev.groundwork.app.Json;
import dev.groundwork.app.LocalModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "models", mixinStandardHelpOptions = true, subcommands = {ModelsCommand.ListCommand.class, ModelsCommand.PullCommand.class},
    description = {"Local GGUF models for `--model llamacpp:NAME`: list them and pull new ones.", "",
        "Models are kept in $GROUNDWORK_MODELS_DIR, else ~/.groundwork/models (or --dir).", "",
        "Example:",
        "  $ groundwork models pull qwen2.5-0.5b-instruct",
        "  pull qwen2.5-0.5b-instruct 100% [=========] 469/469 MB (12.3 MB/s) 0:00:38",
        "  qwen2.5-0.5b-instruct-q4_k_m.gguf: 491400032 bytes, SHA-256 verified",
        "  use it with: groundwork ask --model llamacpp:qwen2.5-0.5b-instruct \"...\""})
final class ModelsCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static Path dir(Path flag) {
    return LocalModels.dir(flag, System.getenv());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = {"The built-in model names, and the GGUF files in the models folder.", "",
      "Example:",
      "  $ groundwork models list",
      "  NAME                     LOCAL  SIZE      DESCRIPTION",
      "  qwen2.5-0.5b-instruct    yes    469 MB    Qwen2.5 0.5B Instruct, Q4_K_M (fast, fits anywhere)",
      "  qwen2.5-1.5b-instruct    -      1066 MB   Qwen2.5 1.5B Instruct, Q4_K_M (better answers, ~1 GB)"})
  static final class ListCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", description = "The models folder.") Path dir;

    @Option(names = "--json", description = "Print one JSON document.") boolean json;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      Path d = dir(dir);
      List<Map<String, Object>> rows = new ArrayList<>();
      for (LocalModels.Row r : LocalModels.list(d)) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("path", r.path());
        m.put("bytes", r.bytes());
        m.put("description", r.description());
        rows.add(m);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.write(Map.of("dir", d.toString(), "models", rows)));
        return Main.OK;
      }
      out.printf("%-24s %-6s %-9s %s%n", "NAME", "LOCAL", "SIZE", "DESCRIPTION");
      for (Map<String, Object> r : rows) {
        long bytes = (long) r.get("bytes");
        out.printf("%-24s %-6s %-9s %s%n", r.get("name"), r.get("path") != null ? "yes" : "-", bytes > 0 ? (bytes >> 20) + " MB" : "?", r.get("description"));
      }
      out.println("(folder: " + d + ")");
      return Main.OK;
    }
  }

  @Command(name = "pull", mixinStandardHelpOptions = true, description = {
      "Download a model by name (see `groundwork models list`) or from a URL, with a progress bar.",
      "An interrupted download resumes where it stopped, here or on the next run; the SHA-256 is",
      "checked when known (built in, --sha256, or the server's X-Linked-ETag).", "",
      "Example:",
      "  $ groundwork models pull stories260k",
      "  ~/.groundwork/models/stories260K.gguf: 1185376 bytes, SHA-256 verified",
      "  use it with: groundwork ask --model llamacpp:stories260k \"...\""})
  static final class PullCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME|URL", description = "A built-in model name, or an http(s) URL of a .gguf file.") String what;

    @Option(names = "--dir", paramLabel = "DIR", description = "The models folder.") Path dir;

    @Option(names = "--sha256", paramLabel = "HEX", description = "The expected SHA-256 of the file.") String sha256;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      ProgressBar[] bar = new ProgressBar[1];
      var listener = new LocalModels.Progress() {
        @Override
        public void start(long total, long already) {
          if (bar[0] != null) bar[0].close();
          bar[0] = new ProgressBarBuilder().setTaskName("pull " + what.replaceAll(".*/", "")).setInitialMax(total > 0 ? total : -1)
              .setStyle(ProgressBarStyle.ASCII).setUnit(" MB", 1 << 20).showSpeed().setUpdateIntervalMillis(500).setMaxRenderedLength(100)
              .setConsumer(new ConsoleProgressBarConsumer(System.err, 100)).build();
          bar[0].stepTo(already);
        }

        @Override
        public void progress(long done) {
          bar[0].stepTo(done);
        }
      };
      LocalModels.Pulled r;
      try {
        r = LocalModels.pull(what, dir(dir), sha256, listener);
      } finally {
        if (bar[0] != null) bar[0].close();
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%s: %d bytes, %s%s%n", r.file(), r.bytes(), r.verified() ? "SHA-256 verified" : "no checksum known (SHA-256 " + r.sha256() + ")",
          r.resumed() ? ", resumed" : "");
      out.println("use it with: groundwork ask --model llamacpp:" + r.name() + " \"...\"");
      return Main.OK;
    }
  }
}
