package dev.groundwork.cli;

import dev.groundwork.app.Json;
import dev.groundwork.app.Project;
import dev.groundwork.app.ProjectConfig;
import dev.groundwork.app.versions.ModelVersions;
import dev.groundwork.app.versions.ProjectVersions;
import dev.groundwork.app.versions.Version;
import dev.groundwork.app.versions.VersionKind;
import dev.groundwork.app.versions.VersionRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "versions", mixinStandardHelpOptions = true, description = {
    "The project's versions of what it learns or chooses (kinds: config, prompt, retrieval-adapter, router,",
    "model), each with its inputs' hashes, settings, metrics and parent. Promotion runs the kind's gate",
    "and moves the kind's pointer atomically; rollback moves it back. A configuration version's gate runs",
    "the project's suites with it; promoting writes it as groundwork.yaml, which a running `serve` reloads.",
    "A prompt version is a prompt file (prompts: {file: prompts.yaml}): system prompt, rules, style guide and",
    "worked examples; its gate runs the suites with it, and promoting writes it as the prompt file.",
    "Model versions are served through aliases: NAME@production (promoted through the model gate) and",
    "NAME@candidate (set with `candidate`, optionally with a canary share), model names everywhere.", "",
    "Example:",
    "  $ groundwork versions add config --note \"k 6\"",
    "  added config-20261202-101500-3f2a9c1d",
    "  $ groundwork versions promote config-20261202-101500-3f2a9c1d",
    "  gate: suites pass: tidewater 94.7%",
    "  promoted config-20261202-101500-3f2a9c1d (was config-20261201-...)",
    "  $ groundwork versions rollback config"},
    subcommands = {VersionsCommand.ListVersions.class, VersionsCommand.Show.class, VersionsCommand.Add.class, VersionsCommand.Promote.class,
        VersionsCommand.Rollback.class, VersionsCommand.Candidate.class, VersionsCommand.Canary.class})
final class VersionsCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  static ProjectVersions open(Project p) {
    return new ProjectVersions(p, Clock.systemUTC());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the versions, newest first; * marks the promoted one of each kind.")
  static final class ListVersions implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Option(names = "--kind", paramLabel = "KIND", description = "Only this kind.") String kind;

    @Option(names = "--json", description = "Print one JSON document on stdout.") boolean json;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Project p = Project.open(project.root(), false)) {
        VersionRegistry r = open(p).registry();
        List<Version> vs = r.list(kind == null ? null : VersionKind.parse(kind));
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> promoted = r.promotedIds();
        if (json) {
          out.println(Json.write(Map.of("versions", vs, "promoted", promoted)));
          return Main.OK;
        }
        if (vs.isEmpty()) out.println("no versions yet (add one: groundwork versions add config)");
        for (Version v : vs) {
          // a model version is current under the aliases that point at it: support@production, support@candidate
          List<String> aliases = promoted.entrySet().stream().filter(e -> e.getValue().equals(v.id()) && e.getKey().startsWith("model:"))
              .map(e -> e.getKey().substring("model:".length()) + (e.getKey().endsWith("@candidate") ? "" : "@production")).sorted().toList();
          out.printf("%s %-42s %-20s %s%s%s%n", v.id().equals(promoted.get(v.kind())) || !aliases.isEmpty() ? "*" : " ", v.id(), v.created().substring(0, 19),
              v.parent() == null ? "" : "parent " + v.parent(), aliases.isEmpty() ? "" : "  " + String.join(", ", aliases),
              v.note() == null ? "" : "  " + v.note());
        }
        return Main.OK;
      }
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one version, and its promotions and rollbacks.")
  static final class Show implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Parameters(index = "0", paramLabel = "VERSION") String id;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Project p = Project.open(project.root(), false)) {
        VersionRegistry r = open(p).registry();
        Version v = r.get(id);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", v);
        m.put("promoted", id.equals(r.promotedIds().get(v.kind())) || r.promotedIds().entrySet().stream()
            .anyMatch(e -> e.getKey().startsWith("model:") && !e.getKey().endsWith("@candidate") && e.getValue().equals(id)));
        m.put("history", r.history().stream().filter(c -> id.equals(c.to()) || id.equals(c.from())).toList());
        spec.commandLine().getOut().println(Json.write(m));
        return Main.OK;
      }
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = {
      "Store a configuration or a prompt file as a version (validated first; it is not promoted), or",
      "register a model trained elsewhere (`add model PROVIDER:MODEL`) so that it can be gated and served",
      "through an alias. Models fine-tuned with `groundwork tune` are registered when their job succeeds.", "",
      "Examples:",
      "  $ groundwork versions add prompt --note \"style guide: short, plain\"",
      "  added prompt-20261203-181500-5b0e77d2",
      "  $ groundwork versions add model together:acme/Llama-3.2-3B-support-ft --alias support",
      "  added model-20261203-151500-9c1e2a4b"})
  static final class Add implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Parameters(index = "0", paramLabel = "KIND", description = "config, prompt or model (the other kinds are added by the commands that make them).")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "FILE|MODEL", description = {"config: the groundwork.yaml to store (default: the project's);",
        "prompt: the prompt file to store (default: the one prompts.file names);", "model: the provider model name, PROVIDER:MODEL."}) String what;

    @Option(names = "--alias", paramLabel = "NAME", description = "model: the alias it is made for (NAME@production once promoted).") String alias;

    @Option(names = "--note", paramLabel = "TEXT", description = "Why this version exists.") String note;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      VersionKind k = VersionKind.parse(kind);
      if (k != VersionKind.CONFIG && k != VersionKind.MODEL && k != VersionKind.PROMPT) {
        throw new dev.groundwork.app.BadInputException(kind + " versions are added by the commands that make them; `versions add` takes config, prompt or model");
      }
      if (k == VersionKind.MODEL && what == null) throw new dev.groundwork.app.BadInputException("versions add model needs the model name: PROVIDER:MODEL");
      if (k != VersionKind.MODEL && alias != null) throw new dev.groundwork.app.BadInputException("--alias is for model versions");
      try (Project p = Project.open(project.root(), false)) {
        Version v = switch (k) {
          case MODEL -> open(p).addModel(what, alias, note);
          case PROMPT -> open(p).addPrompt(what != null ? Path.of(what) : null, note);
          default -> open(p).addConfig(what != null ? Path.of(what) : p.root().resolve(ProjectConfig.FILE), note);
        };
        spec.commandLine().getOut().println("added " + v.id() + (v.parent() == null || k == VersionKind.MODEL ? "" : " (parent " + v.parent() + ")"));
        return Main.OK;
      }
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true, description = {
      "Run the version's gate and, when it passes, make it the promoted one of its kind. Exit code 1 when",
      "the gate fails (nothing changes). A model version is promoted onto an alias (--alias, else the one it",
      "was made for, else `default`), so that NAME@production serves it; its gate runs the project's suites",
      "with it and with production now (the configured answer model until a version is promoted): every",
      "suite at its min_pass_rate, no case tagged critical that production passes lost, and not",
      "significantly worse (exact McNemar test on per-case pass/fail, p < 0.05); it prints the cases that",
      "changed.", "",
      "Example:",
      "  $ groundwork versions promote model-20261203-151500-9c1e2a4b --alias support",
      "  gate: suites pass, no critical case lost, not significantly worse: together:acme/llama-ft against extractive: 3 won, 1 lost, McNemar exact p = 0.625",
      "  SUITE      CASE                 CRITICAL  PRODUCTION  CANDIDATE",
      "  tidewater  dead-letter-default  -         fail        pass",
      "  promoted model-20261203-151500-9c1e2a4b onto support@production"})
  static final class Promote implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Parameters(index = "0", paramLabel = "VERSION") String id;

    @Option(names = "--alias", paramLabel = "NAME", description = "For a model version: the alias it serves as NAME@production.") String alias;

    @Option(names = "--force", description = "Promote even when the gate fails (recorded as forced in the history).") boolean force;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Project p = Project.open(project.root(), false)) {
        ProjectVersions versions = open(p);
        Version v = versions.registry().get(id);
        boolean model = v.kind().equals(VersionKind.MODEL.label());
        String onto = model ? (alias != null ? alias : ModelVersions.aliasOf(v)) : null;
        VersionRegistry.Promotion r = versions.promote(id, alias, force);
        PrintWriter out = spec.commandLine().getOut();
        out.println("gate: " + (r.verdict().passed() ? "" : "FAILED: ") + r.verdict().reason());
        if (r.verdict().metrics().get("diff") instanceof List<?> diff && !diff.isEmpty()) {
          out.printf("%-14s %-28s %-9s %-11s %s%n", "SUITE", "CASE", "CRITICAL", "PRODUCTION", "CANDIDATE");
          for (Object o : diff) {
            Map<?, ?> d = (Map<?, ?>) o;
            out.printf("%-14s %-28s %-9s %-11s %s%n", d.get("suite"), d.get("id"), Boolean.TRUE.equals(d.get("critical")) ? "yes" : "-", d.get("production"), d.get("candidate"));
          }
        }
        String what = model ? onto + "@production" : v.kind();
        if (!r.promoted()) {
          out.println("not promoted; " + Optional.ofNullable(r.previous()).map(x -> x + (model ? " stays " + what : " stays promoted"))
              .orElse(model ? what + " stays the configured answer model" : "nothing is promoted"));
          return Main.FAILED_CHECKS;
        }
        out.println("promoted " + r.version().id() + (model ? " onto " + what : "") + (r.previous() == null ? "" : " (was " + r.previous() + ")")
            + (r.verdict().passed() ? "" : " (forced)"));
        return Main.OK;
      }
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true, description = {
      "Promote again the version of KIND that was promoted before the current one. For model, --alias names",
      "the alias (default: `default`); rolling back its first promotion leaves it serving the configured",
      "answer model."})
  static final class Rollback implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Parameters(index = "0", paramLabel = "KIND") String kind;

    @Option(names = "--alias", paramLabel = "NAME", description = "For model: the alias to roll back.") String alias;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      VersionKind k = VersionKind.parse(kind);
      try (Project p = Project.open(project.root(), false)) {
        Version v = open(p).rollback(k, alias);
        String what = k == VersionKind.MODEL ? (alias != null ? alias : ModelVersions.DEFAULT_ALIAS) + "@production" : kind;
        spec.commandLine().getOut().println("rolled back " + what + " to " + (v == null ? (k == VersionKind.MODEL ? "the configured answer model" : "none") : v.id()));
        return Main.OK;
      }
    }
  }

  @Command(name = "candidate", mixinStandardHelpOptions = true, description = {
      "Make a model version NAME@candidate (no gate: only an explicit NAME@candidate, or the canary share,",
      "reaches it), and send --canary of NAME@production's calls to it. Compare the two with",
      "`groundwork versions canary NAME` before promoting.", "",
      "Example:",
      "  $ groundwork versions candidate model-20261203-151500-9c1e2a4b --alias support --canary 0.1",
      "  support@candidate is model-20261203-151500-9c1e2a4b (together:acme/llama-ft); 10% of support@production's calls go to it"})
  static final class Candidate implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Parameters(index = "0", paramLabel = "VERSION", description = "A model version.") String id;

    @Option(names = "--alias", required = true, paramLabel = "NAME", description = "The alias.") String alias;

    @Option(names = "--canary", defaultValue = "0", paramLabel = "SHARE", description = "Share of NAME@production's calls sent to it, 0..0.5 (default: ${DEFAULT-VALUE}).")
    double canary;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Project p = Project.open(project.root(), false)) {
        ModelVersions models = open(p).models();
        models.candidate(id, alias, canary);
        String served = models.servedModel(open(p).registry().get(id));
        spec.commandLine().getOut().printf("%s@candidate is %s (%s); %s%n", alias, id, served,
            canary > 0 ? Math.round(canary * 100) + "% of " + alias + "@production's calls go to it" : "no canary: production gets every call");
        return Main.OK;
      }
    }
  }

  @Command(name = "canary", mixinStandardHelpOptions = true, description = {
      "Production and candidate of a model alias side by side, from the query log since the candidate was",
      "set: queries, feedback, refusals, median latency and cost per query.", "",
      "Example:",
      "  $ groundwork versions canary support",
      "  SIDE        MODEL                        QUERIES  UP  DOWN  REFUSED  P50 MS  USD/QUERY",
      "  production  openai:gpt-4.1-mini              90   4     1     3.3%     812  0.000410",
      "  candidate   together:acme/llama-ft           10   1     0     0.0%     430  0.000090"})
  static final class Canary implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Parameters(index = "0", paramLabel = "NAME", description = "The alias.") String alias;

    @Option(names = "--json", description = "Print one JSON document on stdout.") boolean json;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Project p = Project.open(project.root(), false)) {
        List<ModelVersions.CanaryRow> rows = open(p).models().canaryReport(alias, p.queryLog());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          out.println(Json.write(Map.of("alias", alias, "production", rows.get(0), "candidate", rows.get(1))));
          return Main.OK;
        }
        out.printf("%-11s %-34s %8s %4s %5s %8s %7s %10s%n", "SIDE", "MODEL", "QUERIES", "UP", "DOWN", "REFUSED", "P50 MS", "USD/QUERY");
        String[] side = {"production", "candidate"};
        for (int i = 0; i < 2; i++) {
          ModelVersions.CanaryRow r = rows.get(i);
          out.printf("%-11s %-34s %8d %4d %5d %7.1f%% %7d %10s%n", side[i], r.model(), r.queries(), r.ratedUp(), r.ratedDown(), 100 * r.refusedShare(),
              r.p50LatencyMs(), r.usdPerQuery() == null ? "-" : String.format("%.6f", r.usdPerQuery()));
        }
        return Main.OK;
      }
    }
  }
}
