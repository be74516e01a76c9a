package dev.groundwork.cli;

import dev.groundwork.app.NotFoundException;
import dev.groundwork.app.Project;
import dev.groundwork.core.log.KeyStore;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "keys", mixinStandardHelpOptions = true, subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class},
    description = {"API keys for `groundwork serve`. Only a hash of each key is stored; the key is shown once, when created.", "",
        "Example:",
        "  $ groundwork keys create ci",
        "  gw_3f9a1c2b7d4e_9c1e...   (id 3f9a1c2b7d4e, name ci: store it now, it is not shown again)",
        "  $ groundwork keys revoke 3f9a1c2b7d4e"})
final class KeysCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key and print it (once).")
  static final class Create implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Parameters(index = "0", paramLabel = "NAME", description = "What the key is for.") String name;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Project p = Project.open(project.root(), false)) {
        KeyStore.Created c = p.keys().create(name);
        spec.commandLine().getOut().println(c.secret() + "   (id " + c.key().id() + ", name " + name + ": store it now, it is not shown again)");
        return Main.OK;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys (never the secrets).")
  static final class ListKeys implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Project p = Project.open(project.root(), false)) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-14s %-24s %-22s %s%n", "ID", "NAME", "CREATED", "STATE");
        for (KeyStore.Key k : p.keys().list()) {
          out.printf("%-14s %-24s %-22s %s%n", k.id(), k.name(), k.created().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), k.revoked() ? "revoked" : "active");
        }
        return Main.OK;
      }
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by id; requests with it get 401 from then on.")
  static final class Revoke implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Parameters(index = "0", paramLabel = "ID") String id;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Project p = Project.open(project.root(), false)) {
        if (!p.keys().revoke(id)) throw new NotFoundException("no key with id " + id + " (see `groundwork keys list`)");
        spec.commandLine().getOut().println("revoked " + id);
        return Main.OK;
      }
    }
  }
}
