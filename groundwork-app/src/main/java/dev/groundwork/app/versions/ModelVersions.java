package dev.groundwork.app.versions;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.app.BadInputException;
import dev.groundwork.app.ConfigException;
import dev.groundwork.app.NotFoundException;
import dev.groundwork.app.Project;
import dev.groundwork.app.ProjectConfig;
import dev.groundwork.app.ProjectEvals;
import dev.groundwork.core.ingest.IngestListener;
import dev.groundwork.core.log.QueryLog;
import dev.groundwork.eval.CaseResult;
import dev.groundwork.eval.EvalRun;
import dev.groundwork.eval.McNemar;
import dev.groundwork.eval.Suite;
import dev.groundwork.eval.SuiteLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fine-tuned (or distilled) models as versions of kind {@code model}, served through aliases.
 *
 * <p>An alias is a model name everywhere one is accepted: {@code support@production} is the version
 * promoted onto alias {@code support} (the configured answer model while none is), and
 * {@code support@candidate} the version set as its candidate. A canary sends a share of
 * {@code support@production}'s calls to the candidate. Promotion runs the model gate: the project's
 * suites with the candidate and with production, each suite at its {@code min_pass_rate}, no case
 * tagged {@code critical} that production passes failed by the candidate, and not significantly worse
 * overall by the exact McNemar test on per-case pass/fail (p &lt; 0.05 with more losses than wins). A
 * GGUF served by llama.cpp must first pass {@link ChatTemplateCheck}.
 */
public final class ModelVersions {
  /** {@code NAME@production} or {@code NAME@candidate}. */
  public static final Pattern ALIAS = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_.-]{0,63})@(production|candidate)");

  /** The tag that marks a case production must never lose. */
  public static final String CRITICAL = "critical";

  static final double ALPHA = 0.05;

  /** The alias a model version is promoted onto when none is named and it was made for none. */
  public static final String DEFAULT_ALIAS = "default";

  private final Project project;
  private final VersionRegistry registry;

  ModelVersions(Project project, VersionRegistry registry) {
    this.project = project;
    this.registry = registry;
  }

  /** The alias {@code v} was made for (its {@code alias} setting), else {@link #DEFAULT_ALIAS}. */
  public static String aliasOf(Version v) {
    Object a = v.settings().get("alias");
    return a instanceof String s && !s.isBlank() ? s : DEFAULT_ALIAS;
  }

  /** Whether {@code name} is a model alias ({@code NAME@production|candidate}). */
  public static boolean isAlias(String name) {
    return name != null && ALIAS.matcher(name).matches();
  }

  /** The registry pointer of {@code alias}'s production ({@code model:NAME}) or candidate ({@code model:NAME@candidate}). */
  static String slot(String alias, boolean candidate) {
    return "model:" + alias + (candidate ? "@candidate" : "");
  }

  static String checkAliasName(String alias) {
    if (alias == null || !alias.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw new BadInputException("--alias must be letters, digits, '_', '.' and '-' (at most 64), got '" + alias + "'");
    }
    return alias;
  }

  /**
   * What an alias serves: the production model, and, when a candidate is set with a canary share,
   * the candidate and its share. For {@code NAME@candidate}: the candidate alone.
   *
   * @param production a provider model name ({@code together:...}), or the configured answer model
   * @param productionVersion the version behind it, or null for the configured model
   */
  public record Resolved(String alias, String production, String productionVersion, String candidate, String candidateVersion, double canaryShare) {}

  /** @throws NotFoundException when {@code name} is {@code NAME@candidate} and no candidate is set */
  public Resolved resolve(String name) {
    Matcher m = ALIAS.matcher(name);
    if (!m.matches()) throw new BadInputException("not a model alias: " + name + " (NAME@production or NAME@candidate)");
    String alias = m.group(1);
    Optional<Version> cand = registry.promoted(slot(alias, true));
    if (m.group(2).equals("candidate")) {
      Version c = cand.orElseThrow(() -> new NotFoundException("no candidate for model alias '" + alias
          + "'; set one with `groundwork versions candidate MODEL-VERSION --alias " + alias + "`"));
      return new Resolved(alias, servedModel(c), c.id(), null, null, 0);
    }
    Optional<Version> prod = registry.promoted(slot(alias, false));
    String prodModel = prod.isPresent() ? servedModel(prod.get()) : configuredModel(alias);
    double share = registry.canary(alias);
    return new Resolved(alias, prodModel, prod.map(Version::id).orElse(null), cand.isPresent() && share > 0 ? servedModel(cand.get()) : null,
        cand.filter(c -> share > 0).map(Version::id).orElse(null), cand.isPresent() ? share : 0);
  }

  /**
   * What an alias with no version promoted serves: groundwork.yaml's answer model as written (a
   * command's --model does not change it).
   */
  private String configuredModel(String alias) {
    Path yaml = project.root().resolve(ProjectConfig.FILE);
    String m = Files.isRegularFile(yaml) ? ProjectConfig.load(yaml).models().model() : "extractive";
    if (isAlias(m) || m.startsWith(dev.groundwork.app.ModelsConfig.ROUTE_PREFIX)) {
      throw new NotFoundException(alias + "@production has no model version promoted, and answer.model (" + m + ") is not a provider model to fall back on;"
          + " promote one with `groundwork versions promote MODEL-VERSION --alias " + alias + "`");
    }
    return m;
  }

  /** The provider model name a model version is served under (its artifact's {@code model}). */
  public String servedModel(Version v) {
    if (!v.kind().equals(VersionKind.MODEL.label())) throw new BadInputException(v.id() + " is a " + v.kind() + " version, not a model");
    Path f = registry.artifact(v);
    try {
      JsonNode n = VersionRegistry.JSON.readTree(f.toFile());
      String model = n == null ? null : n.path("model").asText(null);
      if (model == null || model.isBlank()) throw new ConfigException(f + ": no 'model' (the provider model name); the version is damaged");
      return model;
    } catch (IOException e) {
      throw new ConfigException(f + ": cannot read the model version (" + e.getMessage() + "); the version is damaged");
    }
  }

  /** Sets {@code id} as {@code alias}'s candidate; {@code canaryShare} of {@code alias@production}'s calls go to it (0: none). */
  public void candidate(String id, String alias, double canaryShare) {
    checkAliasName(alias);
    if (!(canaryShare >= 0 && canaryShare <= 0.5)) throw new BadInputException("--canary must be in 0..0.5 (a share of live traffic), got " + canaryShare);
    Version v = registry.get(id);
    servedModel(v); // a damaged or non-model version is refused before anything moves
    registry.point(slot(alias, true), id, alias, canaryShare);
  }

  /** Runs the model gate and, when it passes (or {@code force}), makes {@code id} {@code alias@production}. */
  public VersionRegistry.Promotion promote(String id, String alias, boolean force) {
    checkAliasName(alias);
    Version v = registry.get(id);
    servedModel(v);
    return registry.promote(id, slot(alias, false), (cand, current) -> gate(cand, alias), (x, artifact) -> { }, force);
  }

  /** Makes the version promoted before the current one {@code alias@production} again (the configured model when there was none). */
  public Version rollback(String alias) {
    checkAliasName(alias);
    return registry.rollback(VersionKind.MODEL, slot(alias, false), (x, artifact) -> { });
  }

  /** One case the two models disagree on, for the gate's per-case diff. */
  public record CaseDiff(String suite, String id, boolean critical, boolean production, boolean candidate) {}

  /** The model gate: {@code candidate} against {@code alias@production} on the project's suites. */
  Gate.Verdict gate(Version candidate, String alias) {
    String candModel = servedModel(candidate);
    ChatTemplateCheck.Result template = null;
    if (candModel.startsWith("llamacpp:") && candModel.endsWith(".gguf")) {
      // a GGUF's template and end token first: a wrong one fails silently, and the suites would only show its symptoms;
      // a LoRA adapter (BASE+ADAPTER) is served with its base's template
      String spec = candModel.substring("llamacpp:".length());
      Path base = Path.of(dev.groundwork.models.llamacpp.LlamaCppProvider.parts(spec).get(0));
      template = ChatTemplateCheck.check(base);
      // then run it: generation must stop at the end token, not at the reply limit
      template = template.and(ChatTemplateCheck.generationStops(project.chatModel(project.config().models().override(candModel, List.of(), null, null)),
          ChatTemplateCheck.PROBE_TOKENS));
      if (!template.passed()) {
        return new Gate.Verdict(false, "chat template check: " + String.join("; ", template.problems()), Map.of("chat_template_problems", template.problems(),
            "chat_template_checked", template.checked()));
      }
    }
    Resolved now = resolve(alias + "@production");
    String prodModel = now.production();
    ProjectConfig cfg = project.config();
    List<Suite> suites = new ArrayList<>();
    for (String s : cfg.suites()) {
      Path path = project.root().resolve(s);
      if (Files.exists(path)) suites.addAll(SuiteLoader.load(path));
    }
    if (suites.isEmpty()) return new Gate.Verdict(false, "no suites to gate on (suites: " + cfg.suites() + "); add one, or promote with --force", Map.of());
    project.requireIndex();
    List<EvalRun> candRuns = run(cfg, candModel, suites);
    List<EvalRun> prodRuns = run(cfg, prodModel, suites);
    Map<String, CaseResult> prodCases = new HashMap<>();
    for (EvalRun r : prodRuns) for (CaseResult c : r.cases()) prodCases.put(r.suite() + "/" + c.id(), c);
    int wins = 0, losses = 0;
    List<CaseDiff> diff = new ArrayList<>();
    List<String> criticalLost = new ArrayList<>(), belowMin = new ArrayList<>();
    Map<String, Object> metrics = new LinkedHashMap<>();
    for (EvalRun r : candRuns) {
      EvalRun pr = prodRuns.stream().filter(x -> x.suite().equals(r.suite())).findFirst().orElseThrow();
      metrics.put(r.suite() + ".candidate_pass_rate", r.passRate());
      metrics.put(r.suite() + ".production_pass_rate", pr.passRate());
      metrics.put(r.suite() + ".candidate_run", r.id());
      metrics.put(r.suite() + ".production_run", pr.id());
      if (!r.succeeded()) belowMin.add(String.format("%s %.1f%% < %.1f%%", r.suite(), 100 * r.passRate(), 100 * r.minPassRate()));
      for (CaseResult c : r.cases()) {
        CaseResult p = prodCases.get(r.suite() + "/" + c.id());
        if (p == null || p.passed() == c.passed()) continue;
        boolean critical = c.tags().contains(CRITICAL);
        diff.add(new CaseDiff(r.suite(), c.id(), critical, p.passed(), c.passed()));
        if (c.passed()) wins++;
        else {
          losses++;
          if (critical) criticalLost.add(r.suite() + "/" + c.id());
        }
      }
    }
    double p = McNemar.exactP(wins, losses);
    metrics.put("candidate_model", candModel);
    metrics.put("production_model", prodModel);
    metrics.put("wins", wins);
    metrics.put("losses", losses);
    metrics.put("mcnemar_p", p);
    if (template != null) metrics.put("chat_template_checked", template.checked());
    metrics.put("diff", diff.stream().map(d -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("suite", d.suite());
      m.put("id", d.id());
      m.put("critical", d.critical());
      m.put("production", d.production() ? "pass" : "fail");
      m.put("candidate", d.candidate() ? "pass" : "fail");
      return m;
    }).toList());
    String against = String.format("%s against %s: %d won, %d lost, McNemar exact p = %.3g", candModel, prodModel, wins, losses, p);
    if (!belowMin.isEmpty()) return new Gate.Verdict(false, "suites below their min_pass_rate: " + String.join(", ", belowMin) + "; " + against, metrics);
    if (!criticalLost.isEmpty()) {
      return new Gate.Verdict(false, "fails critical cases production passes: " + String.join(", ", criticalLost) + "; " + against, metrics);
    }
    if (losses > wins && p < ALPHA) return new Gate.Verdict(false, "significantly worse than production (p < " + ALPHA + "): " + against, metrics);
    return new Gate.Verdict(true, "suites pass, no critical case lost, not significantly worse: " + against, metrics);
  }

  /** The suites answered by {@code model} (a provider model name, or extractive), stored as eval runs. */
  private List<EvalRun> run(ProjectConfig cfg, String model, List<Suite> suites) {
    ProjectConfig with = cfg.withModels(cfg.models().override(model, List.of(), null, null));
    try (Project p = Project.open(project.root(), with, false).withEnv(project.env())) {
      return ProjectEvals.run(p, suites, p.judge(), null, 1, 1, true, name -> IngestListener.NONE, () -> false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One model's traffic in a canary, from the query log. */
  public record CanaryRow(String model, String version, long queries, long ratedUp, long ratedDown, double refusedShare, long p50LatencyMs,
      Double usdPerQuery) {}

  /**
   * Production and candidate side by side, from the query log since the candidate was set: queries,
   * feedback, refusals, median latency and cost per query.
   */
  public List<CanaryRow> canaryReport(String alias, QueryLog log) {
    checkAliasName(alias);
    Resolved r = resolve(alias + "@production");
    Version cand = registry.promoted(slot(alias, true))
        .orElseThrow(() -> new NotFoundException("no candidate for model alias '" + alias + "'; set one with `groundwork versions candidate`"));
    Instant since = Instant.parse(registry.history().stream().filter(c -> c.kind().equals(slot(alias, true)) && cand.id().equals(c.to()))
        .reduce((a, b) -> b).map(VersionRegistry.Change::time).orElse(cand.created()));
    List<CanaryRow> rows = new ArrayList<>();
    rows.add(row(log, r.production(), r.productionVersion(), since));
    rows.add(row(log, servedModel(cand), cand.id(), since));
    return rows;
  }

  private static CanaryRow row(QueryLog log, String model, String version, Instant since) {
    List<QueryLog.Logged> all = log.listAll(since, null, model, null, null);
    long up = all.stream().filter(l -> l.feedback() != null && l.feedback().rating().equals("up")).count();
    long down = all.stream().filter(l -> l.feedback() != null && l.feedback().rating().equals("down")).count();
    long refused = all.stream().filter(l -> l.entry().refused()).count();
    List<Long> lat = all.stream().map(l -> l.entry().latencyMs()).sorted().toList();
    List<Double> costs = all.stream().map(l -> l.entry().costUsd()).filter(java.util.Objects::nonNull).toList();
    return new CanaryRow(model, version, all.size(), up, down, all.isEmpty() ? 0 : (double) refused / all.size(), lat.isEmpty() ? 0 : lat.get((lat.size() - 1) / 2),
        costs.isEmpty() ? null : costs.stream().mapToDouble(Double::doubleValue).sum() / costs.size());
  }
}
