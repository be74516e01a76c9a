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
        "  $ groundwork keys create support-bot --models openai:gpt-4.1-mini --read-only --day-usd 1 --month-usd 20",
        "  gw_81d0c2aa9f3e_4b7a...   (id 81d0c2aa9f3e, name support-bot, models openai:gpt-4.1-mini, read-only, $1.00 a day, $20.00 a month: ...)",
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

    @picocli.CommandLine.Option(names = "--models", split = ",", paramLabel = "MODEL",
        description = "Limit the key to these models (comma-separated, as /v1/models names them); default: all.") java.util.List<String> models;

    @picocli.CommandLine.Option(names = "--read-only", description = {"The key may ask and search, but not upload or delete documents,",
        "run evals or give feedback."}) boolean readOnly;

    @picocli.CommandLine.Option(names = "--budget-usd", paramLabel = "USD", description = {"The most the key may spend in total; past it requests",
        "get 429 insufficient_quota. Default: no cap."}) Double budgetUsd;

    @picocli.CommandLine.Option(names = "--day-usd", paramLabel = "USD", description = {"The most the key may spend per UTC day.",
        "Default: budgets.key_day_usd in groundwork.yaml, else no cap."}) Double dayUsd;

    @picocli.CommandLine.Option(names = "--month-usd", paramLabel = "USD", description = {"The most the key may spend per UTC month.",
        "Default: budgets.key_month_usd in groundwork.yaml, else no cap."}) Double monthUsd;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      checkUsd("--budget-usd", budgetUsd);
      checkUsd("--day-usd", dayUsd);
      checkUsd("--month-usd", monthUsd);
      if (models != null && models.stream().anyMatch(String::isBlank)) throw new dev.groundwork.app.BadInputException("--models: empty model name");
      KeyStore.Scope scope = new KeyStore.Scope(models, readOnly, budgetUsd, dayUsd, monthUsd);
      try (Project p = Project.open(project.root(), false)) {
        KeyStore.Created c = p.keys().create(name, scope);
        spec.commandLine().getOut().println(c.secret() + "   (id " + c.key().id() + ", name " + name + describe(scope)
            + ": store it now, it is not shown again)");
        return Main.OK;
      }
    }
  }

  private static void checkUsd(String option, Double usd) {
    if (usd != null && !(usd >= 0 && usd < 1e9)) throw new dev.groundwork.app.BadInputException(option + " must be in 0..1e9 USD, got " + usd);
  }

  /** A scope as the CLI prints it: ", models a, b, read-only, $1.00 a day, budget $5.00", or nothing for full access. */
  static String describe(KeyStore.Scope s) {
    StringBuilder sb = new StringBuilder();
    if (!s.models().isEmpty()) sb.append(", models ").append(String.join(" ", s.models()));
    if (s.readOnly()) sb.append(", read-only");
    if (s.dayUsd() != null) sb.append(", ").append(dev.groundwork.core.budget.Money.usd(s.dayUsd())).append(" a day");
    if (s.monthUsd() != null) sb.append(", ").append(dev.groundwork.core.budget.Money.usd(s.monthUsd())).append(" a month");
    if (s.budgetUsd() != null) sb.append(", budget ").append(dev.groundwork.core.budget.Money.usd(s.budgetUsd()));
    return sb.toString();
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys (never the secrets).")
  static final class ListKeys implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Project p = Project.open(project.root(), false)) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-14s %-24s %-22s %-8s %s%n", "ID", "NAME", "CREATED", "STATE", "SCOPE");
        for (KeyStore.Key k : p.keys().list()) {
          String scope = k.scope().full() ? "full" : describe(k.scope()).substring(2);
          out.printf("%-14s %-24s %-22s %-8s %s%n", k.id(), k.name(), k.created().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
              k.revoked() ? "revoked" : "active", scope);
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
