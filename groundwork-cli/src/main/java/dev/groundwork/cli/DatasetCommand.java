package dev.groundwork.cli;

import dev.groundwork.app.Datasets;
import dev.groundwork.app.Json;
import dev.groundwork.app.Project;
import dev.groundwork.tuning.dataset.DatasetCheck;
import dev.groundwork.tuning.dataset.DatasetExport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "dataset", mixinStandardHelpOptions = true, subcommands = {DatasetCommand.Build.class, DatasetCommand.Check.class, DatasetCommand.Export.class},
    description = {"Fine-tuning datasets from the project's own traffic and suites: build one, check it before paying for",
        "training, export it for a trainer.", "",
        "Example:",
        "  $ groundwork dataset build --from log,eval --suite training/ --output data/support.jsonl",
        "  $ groundwork dataset check data/support.jsonl --target openai:gpt-4.1-mini",
        "  $ groundwork dataset export data/support.jsonl --format together --output data/together --validation-share 0.1 --seed 7"})
final class DatasetCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(name = "build", mixinStandardHelpOptions = true, description = {
      "Build a dataset (JSONL: one chat per line, with its lineage) from the query log (answers rated up,",
      "and the corrected answers of those rated down) and eval cases with an expected answer. Each example's",
      "user message holds the sources exactly as the project retrieves and numbers them, so the tuned model",
      "learns grounded, cited answers and refusals. A logged answer keeps the chunks it was built from.",
      "Distillation: --from teacher --teacher MODEL has a strong model answer the log's questions (each once,",
      "suite questions left out) from the same sources; its cost is estimated first, and nothing is called",
      "or written without --yes. --from synthetic --teacher MODEL has it also write the questions: one for each",
      "of --synthetic N chunks drawn from the index (--seed), answered from what the project retrieves for it.", "",
      "Example:",
      "  $ groundwork dataset build --from log --output data/support.jsonl",
      "  wrote data/support.jsonl: 212 examples (log 212)",
      "  $ groundwork dataset build --from teacher --teacher openai:gpt-4.1 --task distill --output data/distill.jsonl",
      "  teacher openai:gpt-4.1: 180 questions, 214,330 prompt tokens (exact) + at most 184,320 reply tokens, about $1.9031",
      "  nothing was called or written: run again with --yes to spend it"})
  static final class Build implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Option(names = "--from", split = ",", defaultValue = "log", paramLabel = "SOURCE", description = {"log, eval, preferences (pairs for DPO: a corrected answer over the original,",
        "an answer rated up over one rated down to the same question), teacher and/or synthetic (default: ${DEFAULT-VALUE})."})
    List<String> from;

    @Option(names = "--synthetic", paramLabel = "N", defaultValue = "50", description = "For --from synthetic: how many chunks to write a question for (default: ${DEFAULT-VALUE}).")
    int synthetic;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "7", description = "For --from synthetic: the seed that draws the chunks (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--task", defaultValue = "grounded-qa", description = {"grounded-qa; distill (a teacher's answers; needs --from teacher); format (needs",
        "--schema: the prompts carry the schema, and only replies that match it are kept); or tone (needs --style and",
        "--teacher: the replies are rewritten in the house style)."})
    String task;

    @Option(names = "--schema", paramLabel = "FILE", description = "For --task format: the JSON Schema the replies must match.")
    Path schema;

    @Option(names = "--style", paramLabel = "FILE", description = {"For --task tone: the house style guide (text, with examples if you like); --teacher",
        "rewrites each reply in it, facts and citations kept."})
    Path style;

    @Option(names = "--teacher", paramLabel = "MODEL", description = "The language model that answers for --from teacher and writes and answers for --from synthetic (e.g. openai:gpt-4.1).")
    String teacher;

    @Option(names = "--yes", description = "Spend what the teacher's estimate says (without it, only the estimate is printed).")
    boolean yes;

    @Option(names = "--suite", split = ",", paramLabel = "PATH",
        description = {"Suites for --from eval (default: the project's). Train on suites you do not gate with:", "dataset check fails on contamination."})
    List<Path> suites;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The dataset file to write (replaced whole).")
    Path output;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Project p = Project.open(project.root(), false)) {
        String schemaJson = schema == null ? null : read(schema, "--schema");
        String guide = style == null ? null : read(style, "--style");
        if (guide != null && guide.isBlank()) throw new dev.groundwork.app.BadInputException("--style: " + style + " is empty");
        Datasets.Built b = Datasets.build(p, new LinkedHashSet<>(from), task, suites, teacher, yes, schemaJson, guide, new Datasets.Synthetic(synthetic, seed),
            output.toAbsolutePath(), Clock.systemUTC());
        PrintWriter out = spec.commandLine().getOut();
        int total = b.bySource().values().stream().mapToInt(Integer::intValue).sum();
        if (json) {
          Map<String, Object> m = new java.util.LinkedHashMap<>();
          m.put("file", b.file() == null ? null : b.file().toString());
          m.put("examples", total);
          m.put("by_source", b.bySource());
          m.put("skipped", b.skipped());
          if (b.teacher() != null) m.put("teacher", b.teacher());
          out.println(Json.write(m));
          return Main.OK;
        }
        if (b.teacher() != null) {
          var t = b.teacher();
          out.printf(java.util.Locale.ROOT, "teacher %s: %d %s, %,d prompt tokens (%s) + at most %,d reply tokens, %s%n", t.model(), t.questions(),
              task.equals("tone") ? "replies to rewrite" : "questions",
              t.inputTokens(), t.exactTokens() ? "exact" : "estimated", t.maxOutputTokens(),
              t.usd() == null ? "price unknown (add it under prices: in groundwork.yaml)" : String.format(java.util.Locale.ROOT, "about $%.4f", t.usd()));
          if (b.file() == null) {
            out.println("nothing was called or written: run again with --yes to spend it");
            return Main.OK;
          }
        }
        out.println("wrote " + output + ": " + total + " examples (" + b.bySource().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
            .reduce((x, y) -> x + ", " + y).orElse("") + ")");
        if (!b.skipped().isEmpty()) out.println(b.skipped().size() + " left out, e.g. " + b.skipped().get(0));
        return Main.OK;
      }
    }
  }

  /** The text of the file an option names, or a clear error naming the option. */
  static String read(Path file, String option) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (java.io.IOException e) {
      throw new dev.groundwork.app.BadInputException(option + ": cannot read " + file + ": " + e.getMessage());
    }
  }

  @Command(name = "check", mixinStandardHelpOptions = true, description = {
      "Check a dataset before training: well-formed chats, lengths for the target (its own tokenizer where",
      "one is available offline, else an estimate that says so), duplicates and near duplicates, questions",
      "of the regression suite (exactly, or nearly: word-trigram Jaccard >= 0.8), personal data and secrets",
      "(e-mail, phone, card, IBAN, IP, API keys; --scrub replaces them in the file), refusals, size, and a",
      "preflight of the training bill. Exit 1 when a check fails.", "",
      "Example:",
      "  $ groundwork dataset check data/support.jsonl --target openai:gpt-4.1-mini",
      "  check                          result  count  what",
      "  format                         ok          0  every line is a chat ending in an assistant reply",
      "  contamination                  FAIL        2  2 examples ask a suite question ...",
      "  ..."})
  static final class Check implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Parameters(index = "0", paramLabel = "FILE") Path file;

    @Option(names = "--target", split = ",", paramLabel = "MODEL", description = "Models to train (default: the answer model, else openai:gpt-4.1-mini).")
    List<String> targets;

    @Option(names = "--scrub", description = "Replace personal data and secrets by [KIND] in the file first.")
    boolean scrub;

    @Option(names = "--epochs", description = "Epochs to bill (default: each provider's default).")
    Integer epochs;

    @Option(names = "--price-per-million", paramLabel = "USD", description = "Training price per 1M tokens for every target (default: the published ones).")
    Double price;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (epochs != null && (epochs < 1 || epochs > 100)) throw new dev.groundwork.app.BadInputException("--epochs must be in 1..100, got " + epochs);
      DatasetCheck.Report r;
      try (Project p = Project.open(project.root(), false)) {
        r = Datasets.check(p, file.toAbsolutePath(), targets, scrub, epochs, price);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("passed", r.passed());
        m.put("examples", r.examples());
        m.put("checks", r.checks().stream().map(c -> Map.of("name", c.name(), "passed", c.passed(), "count", c.count(), "examples", c.examples(),
            "message", c.message())).toList());
        m.put("pii", r.pii());
        m.put("contaminated", r.contaminated());
        m.put("preflight", r.preflight().stream().map(x -> {
          Map<String, Object> y = new LinkedHashMap<>();
          y.put("target", x.target());
          y.put("tokens", x.tokens());
          y.put("tokens_exact", x.exact());
          y.put("tokenizer", x.tokenizer());
          y.put("epochs", x.epochs());
          y.put("billed_tokens", x.billedTokens());
          y.put("usd", x.usd());
          y.put("price_as_of", x.priceAsOf());
          return y;
        }).toList());
        out.println(Json.write(m));
        return r.passed() ? Main.OK : Main.FAILED_CHECKS;
      }
      out.printf("%d examples in %s%n%n", r.examples(), file);
      out.printf("%-30s %-6s %6s  %s%n", "check", "result", "count", "what");
      for (DatasetCheck.Check c : r.checks()) {
        out.printf("%-30s %-6s %6d  %s%n", c.name(), c.passed() ? "ok" : "FAIL", c.count(), c.message());
        if (!c.passed() && !c.examples().isEmpty()) out.println("    e.g. " + String.join(", ", c.examples().subList(0, Math.min(3, c.examples().size()))));
      }
      out.println();
      out.printf("%-28s %12s %7s %14s %10s  %s%n", "preflight", "tokens", "epochs", "billed tokens", "USD", "counted with");
      for (DatasetCheck.Preflight x : r.preflight()) {
        out.printf(Locale.ROOT, "%-28s %12d %7d %14d %10s  %s%n", x.target(), x.tokens(), x.epochs(), x.billedTokens(),
            x.usd() == null ? "unknown" : String.format(Locale.ROOT, "%.2f", x.usd()), x.tokenizer() + (x.priceAsOf() == null ? "" : "; price of " + x.priceAsOf()));
        String warn = x.target().contains(":") ? dev.groundwork.app.Tuning.providerWarning(x.target().substring(0, x.target().indexOf(':'))) : null;
        if (warn != null) out.println("  note: " + warn);
      }
      out.println();
      out.println(r.passed() ? "PASSED" : "FAILED");
      return r.passed() ? Main.OK : Main.FAILED_CHECKS;
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true, description = {
      "Write a dataset for a trainer: train.jsonl (and validation.jsonl) in DIR, split by a seeded shuffle.",
      "Formats: openai, together, fireworks, trl (chat messages per line); openai-dpo (also Together's) and",
      "trl-dpo for preference pairs.", "",
      "Example:",
      "  $ groundwork dataset export data/support.jsonl --format openai --output data/openai --validation-share 0.1 --seed 7",
      "  wrote data/openai/train.jsonl (191 examples) and data/openai/validation.jsonl (21)"})
  static final class Export implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE") Path file;

    @Option(names = "--format", required = true, description = {"openai, together, fireworks, trl, axolotl (+ axolotl.yaml), llama-factory (ShareGPT",
        "JSON + dataset_info.json); for preference pairs openai-dpo, trl-dpo or llama-factory-dpo."})
    String format;

    @Option(names = "--output", required = true, paramLabel = "DIR") Path dir;

    @Option(names = "--validation-share", defaultValue = "0.1", description = "Share held out for validation (default: ${DEFAULT-VALUE}).")
    double share;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      DatasetExport.Written w = Datasets.export(file, format, dir, share, seed);
      spec.commandLine().getOut().println("wrote " + w.train() + " (" + w.trainCount() + " examples)"
          + (w.validation() == null ? "" : " and " + w.validation() + " (" + w.validationCount() + ")")
          + (w.settings() == null ? "" : "; the trainer's settings: " + w.settings()));
      return Main.OK;
    }
  }
}
