package dev.groundwork.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.groundwork.advisor.Advisor;
import dev.groundwork.app.Advising;
import dev.groundwork.app.Project;
import dev.groundwork.app.ProjectEvals;
import dev.groundwork.core.ingest.IngestListener;
import dev.groundwork.core.log.QueryLog;
import dev.groundwork.eval.Suite;
import dev.groundwork.eval.SuiteLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code groundwork bench advise}: runs the advisor on labelled scenario projects (each a folder with
 * {@code scenario.yaml}: {@code family}, {@code primary}) and measures how often it names the right
 * primary symptom. Each scenario is copied into a work folder, ingested, given its recorded traffic
 * ({@code traffic.jsonl}, if any) as query-log entries, evaluated offline, advised on, and its first
 * tries run ({@code advise --try}, without applying anything), to measure how many of the cases a
 * recommended try targets it fixes.
 */
public final class AdviseBenchmark {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One scenario's outcome: the label, what the advisor said first, every symptom it named, and, when
   * {@code --try} ran, the tries: how many, the recommended one (or null), the cases it targeted and fixed.
   */
  public record Outcome(String scenario, String family, String expected, String named, List<String> symptoms, int failed, int cases, int tries,
      String recommended, int targeted, int fixed, int targetedByAll, int fixedByAll) {
    public boolean right() {
      return expected.equals(named);
    }
  }

  /** Accuracy over a family (or all): scenarios, how many were named right. */
  public record Tally(String family, int scenarios, int right) {
    public double accuracy() {
      return scenarios == 0 ? 0 : (double) right / scenarios;
    }
  }

  private AdviseBenchmark() {}

  /** The scenario folders under {@code dir}, by name. */
  public static List<Path> scenarios(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) throw new dev.groundwork.app.BadInputException("--scenarios: no folder " + dir);
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> out = s.filter(p -> Files.isRegularFile(p.resolve("scenario.yaml"))).sorted().toList();
      if (out.isEmpty()) throw new dev.groundwork.app.BadInputException("--scenarios: " + dir + " holds no folder with a scenario.yaml");
      return out;
    }
  }

  /** Runs one scenario in {@code work} (emptied first) and advises on it. */
  public static Outcome run(Path scenario, Path work, Clock clock) throws IOException {
    JsonNode label = YAML.readTree(scenario.resolve("scenario.yaml").toFile());
    if (label == null || !label.hasNonNull("primary") || !label.hasNonNull("family")) {
      throw new dev.groundwork.app.BadInputException(scenario.resolve("scenario.yaml") + ": needs 'family' and 'primary'");
    }
    Project.deleteTree(work);
    copy(scenario, work);
    try (Project p = Project.open(work, true)) {
      p.ingestPipeline(IngestListener.NONE).ingestPaths(p.config().sources());
      Path traffic = work.resolve("traffic.jsonl");
      if (Files.isRegularFile(traffic)) record(p.queryLog(), traffic, clock.instant());
      List<Suite> suites = new ArrayList<>();
      for (String s : p.config().suites()) {
        Path path = work.resolve(s);
        if (Files.exists(path)) suites.addAll(SuiteLoader.load(path, ProjectEvals.similarity(p), p.judge()));
      }
      ProjectEvals.run(p, suites, null, 1, 1, false, name -> IngestListener.NONE, () -> false);
      Advising.Tried t = Advising.tryFirst(p, null, null, false, clock);
      Advisor.Advice a = t.advice();
      var best = t.results().stream().filter(dev.groundwork.advisor.Experiments.Result::recommended).findFirst();
      return new Outcome(scenario.getFileName().toString(), label.get("family").asText(), label.get("primary").asText(),
          a.primary() == null ? "none" : a.primary(), a.symptoms().stream().map(Advisor.Symptom::symptom).toList(), a.failed(), a.cases(),
          t.results().size(), best.map(r -> r.experiment().symptom() + ": " + r.experiment().description()).orElse(null),
          best.map(r -> r.experiment().targets().size()).orElse(0), best.map(r -> r.fixed().size()).orElse(0),
          t.results().stream().mapToInt(r -> r.experiment().targets().size()).sum(), t.results().stream().mapToInt(r -> r.fixed().size()).sum());
    }
  }

  /** Runs every scenario under {@code dir}, telling {@code progress} of each as it finishes. */
  public static List<Outcome> runAll(Path dir, Path work, Clock clock, Consumer<Outcome> progress) throws IOException {
    List<Outcome> out = new ArrayList<>();
    for (Path s : scenarios(dir)) {
      Outcome o = run(s, work.resolve(s.getFileName().toString()), clock);
      progress.accept(o);
      out.add(o);
    }
    return out;
  }

  /**
   * The first tries over all scenarios: how many ran and were recommended, the cases the recommended
   * ones targeted and fixed, and the same over every try.
   */
  public record Tries(int run, long recommended, int targeted, int fixed, int targetedByAll, int fixedByAll) {
    /** Of the recommended tries: cases fixed over cases targeted (0 when none was recommended). */
    public double fixRate() {
      return targeted == 0 ? 0 : (double) fixed / targeted;
    }
  }

  public static Tries tries(List<Outcome> outcomes) {
    return new Tries(outcomes.stream().mapToInt(Outcome::tries).sum(), outcomes.stream().filter(o -> o.recommended() != null).count(),
        outcomes.stream().mapToInt(Outcome::targeted).sum(), outcomes.stream().mapToInt(Outcome::fixed).sum(),
        outcomes.stream().mapToInt(Outcome::targetedByAll).sum(), outcomes.stream().mapToInt(Outcome::fixedByAll).sum());
  }

  /** Per family, in first-seen order, then "all". */
  public static List<Tally> tally(List<Outcome> outcomes) {
    Map<String, int[]> by = new LinkedHashMap<>();
    for (Outcome o : outcomes) {
      int[] t = by.computeIfAbsent(o.family(), k -> new int[2]);
      t[0]++;
      if (o.right()) t[1]++;
    }
    List<Tally> out = new ArrayList<>();
    by.forEach((f, t) -> out.add(new Tally(f, t[0], t[1])));
    out.add(new Tally("all", outcomes.size(), (int) outcomes.stream().filter(Outcome::right).count()));
    return out;
  }

  /** {@code {"age_s", "model", "cost_usd", "latency_ms", "refused"}} lines as logged answers, aged from {@code now}. */
  static void record(QueryLog log, Path jsonl, Instant now) throws IOException {
    List<QueryLog.Entry> entries = new ArrayList<>();
    int n = 0;
    for (String line : Files.readAllLines(jsonl)) {
      if (line.isBlank()) continue;
      n++;
      JsonNode j = JSON.readTree(line);
      entries.add(new QueryLog.Entry("traffic-" + n, now.minusSeconds(j.path("age_s").asLong()), null, "recorded question " + n, "recorded answer",
          j.path("refused").asBoolean(), j.path("model").asText("extractive"), false, List.of(), List.of(), List.of(), 0, 0,
          j.hasNonNull("cost_usd") ? j.get("cost_usd").asDouble() : null, j.path("latency_ms").asLong(), null, null));
    }
    log.recordAll(entries);
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(t);
        else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
