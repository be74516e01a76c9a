package dev.groundwork.cli;

import dev.groundwork.app.CostReport;
import dev.groundwork.app.Json;
import dev.groundwork.app.Project;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cost", mixinStandardHelpOptions = true, description = {
    "What the logged queries cost: per model, route, API key and day, the share of queries each model",
    "answered, the average cost per query, and the month projected at the last seven days' traffic.",
    "Queries whose model has no known price are counted apart, never as $0. The server shows the same",
    "at GET /api/cost?days=N.", "",
    "Example:",
    "  $ groundwork cost --days 30",
    "  3 queries from 2026-11-03 to 2026-12-03: $0.0000 in all, $0.000000 per query, month projected $0.00",
    "",
    "  model                           queries  share          USD",
    "  extractive                            3 100.0%       0.0000  ########################################",
    "  ... (then per route, with how many escalated; per API key; per day)"})
final class CostCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Option(names = "--days", defaultValue = "30", description = "The window: the last N days (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--json", description = "Print the report as JSON (the same document as GET /api/cost).")
  boolean json;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (days < 1 || days > 3660) throw new IllegalArgumentException("--days must be in 1..3660, got " + days);
    Instant to = Instant.now();
    CostReport r;
    try (Project p = Project.open(project.root(), false)) {
      r = CostReport.of(p.queryLog(), to.minus(Duration.ofDays(days)), to).withBudgets(p.budgets().projectStatus());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(r.toJson()));
      return Main.OK;
    }
    out.printf(Locale.ROOT, "%,d queries from %s to %s: $%.4f in all, $%.6f per query, month projected $%.2f%n", r.queries(),
        r.from().toString().substring(0, 10), r.to().toString().substring(0, 10), r.totalUsd(), r.averageUsd(), r.projectedMonthUsd());
    if (r.unpriced() > 0) out.printf("%d queries used a model without a known price: their cost is not in these totals (add it under prices:)%n", r.unpriced());
    table(out, "model", r.byModel(), false);
    if (!r.byRoute().isEmpty()) table(out, "route", r.byRoute(), true);
    table(out, "key", r.byKey(), false);
    table(out, "day", r.byDay(), false);
    if (!r.budgets().isEmpty()) {
      out.println();
      out.printf("%-30s %12s %12s %12s  %-20s%n", "budget", "limit USD", "spent USD", "left USD", "resets");
      for (var b : r.budgets()) {
        double used = b.limit().usd() == 0 ? 1 : Math.min(1, b.spentUsd() / b.limit().usd());
        out.printf(Locale.ROOT, "%-30s %12.4f %12.6f %12.6f  %-20s  %s%n", b.limit().scope() + " " + b.limit().period().adjective(), b.limit().usd(),
            b.spentUsd(), b.remainingUsd(), b.resetsAt() == null ? "never" : b.resetsAt().toString(), "#".repeat((int) Math.round(40 * used)));
      }
    }
    return Main.OK;
  }

  /** A table with a bar of each row's share of the queries. */
  private static void table(PrintWriter out, String kind, List<CostReport.Row> rows, boolean routes) {
    out.println();
    out.printf("%-30s %8s %6s %12s%s%n", kind, "queries", "share", "USD", routes ? "  escalated" : "");
    for (CostReport.Row row : rows) {
      out.printf(Locale.ROOT, "%-30s %8d %5.1f%% %12.4f%s  %s%n", row.name(), row.queries(), 100 * row.share(), row.usd(),
          routes ? String.format(Locale.ROOT, "  %9d", row.escalated()) : "", "#".repeat((int) Math.round(40 * row.share())));
    }
  }
}
