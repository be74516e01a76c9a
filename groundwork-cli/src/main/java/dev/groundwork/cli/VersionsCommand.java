package dev.groundwork.cli;

import dev.groundwork.app.Json;
import dev.groundwork.app.Project;
import dev.groundwork.app.ProjectConfig;
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
    "the project's suites with it; promoting writes it as groundwork.yaml, which a running `serve` reloads.", "",
    "Example:",
    "  $ groundwork versions add config --note \"k 6\"",
    "  added config-20261202-101500-3f2a9c1d",
    "  $ groundwork versions promote config-20261202-101500-3f2a9c1d",
    "  gate: suites pass: tidewater 94.7%",
    "  promoted config-20261202-101500-3f2a9c1d (was config-20261201-...)",
    "  $ groundwork versions rollback config"},
    subcommands = {VersionsCommand.ListVersions.class, VersionsCommand.Show.class, VersionsCommand.Add.class, VersionsCommand.Promote.class,
        VersionsCommand.Rollback.class})
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
          out.printf("%s %-42s %-20s %s%s%n", v.id().equals(promoted.get(v.kind())) ? "*" : " ", v.id(), v.created().substring(0, 19),
              v.parent() == null ? "" : "parent " + v.parent(), v.note() == null ? "" : "  " + v.note());
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
        m.put("promoted", id.equals(r.promotedIds().get(v.kind())));
        m.put("history", r.history().stream().filter(c -> id.equals(c.to()) || id.equals(c.from())).toList());
        spec.commandLine().getOut().println(Json.write(m));
        return Main.OK;
      }
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true, description = {
      "Store a configuration as a version (validated first; it is not promoted)."})
  static final class Add implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Parameters(index = "0", paramLabel = "KIND", description = "config (the other kinds are added by the commands that make them).") String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "FILE", description = "The groundwork.yaml to store (default: the project's).") Path file;

    @Option(names = "--note", paramLabel = "TEXT", description = "Why this version exists.") String note;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (VersionKind.parse(kind) != VersionKind.CONFIG) {
        throw new dev.groundwork.app.BadInputException(kind + " versions are added by the commands that make them; `versions add` takes config");
      }
      try (Project p = Project.open(project.root(), false)) {
        Version v = open(p).addConfig(file != null ? file : p.root().resolve(ProjectConfig.FILE), note);
        spec.commandLine().getOut().println("added " + v.id() + (v.parent() == null ? "" : " (parent " + v.parent() + ")"));
        return Main.OK;
      }
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true, description = {
      "Run the version's gate and, when it passes, make it the promoted one of its kind. Exit code 1 when",
      "the gate fails (nothing changes)."})
  static final class Promote implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Parameters(index = "0", paramLabel = "VERSION") String id;

    @Option(names = "--force", description = "Promote even when the gate fails (recorded as forced in the history).") boolean force;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Project p = Project.open(project.root(), false)) {
        VersionRegistry.Promotion r = open(p).promote(id, force);
        PrintWriter out = spec.commandLine().getOut();
        out.println("gate: " + (r.verdict().passed() ? "" : "FAILED: ") + r.verdict().reason());
        if (!r.promoted()) {
          out.println("not promoted; " + Optional.ofNullable(r.previous()).map(x -> x + " stays promoted").orElse("nothing is promoted"));
          return Main.FAILED_CHECKS;
        }
        out.println("promoted " + r.version().id() + (r.previous() == null ? "" : " (was " + r.previous() + ")") + (r.verdict().passed() ? "" : " (forced)"));
        return Main.OK;
      }
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Promote again the version of KIND that was promoted before the current one.")
  static final class Rollback implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Parameters(index = "0", paramLabel = "KIND") String kind;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Project p = Project.open(project.root(), false)) {
        Version v = open(p).rollback(VersionKind.parse(kind));
        spec.commandLine().getOut().println("rolled back " + kind + " to " + (v == null ? "none" : v.id()));
        return Main.OK;
      }
    }
  }
}
