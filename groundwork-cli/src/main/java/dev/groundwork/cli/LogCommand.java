package dev.groundwork.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.groundwork.app.Json;
import dev.groundwork.app.Project;
import dev.groundwork.core.log.QueryLog;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "log", mixinStandardHelpOptions = true, subcommands = {LogCommand.Export.class, LogCommand.Purge.class},
    description = {"The query log that `groundwork serve` keeps: turn what users disliked into eval cases.", "",
        "Example:",
        "  $ groundwork log export --feedback negative --format yaml --output suites/from-log.yaml",
        "  exported 12 cases to suites/from-log.yaml"})
final class LogCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "export", mixinStandardHelpOptions = true, description = {
      "Export logged queries as eval cases: the question, the corrected answer as `expected` (checked with",
      "`similar`), and tags saying where they came from. jsonl gives one case per line; yaml gives a suite",
      "`groundwork eval` runs as is.", "",
      "Example:",
      "  $ groundwork log export --feedback negative --format jsonl",
      "  {\"id\":\"q_3f0c...\",\"question\":\"How long are dead jobs kept?\",\"expected\":\"30 days\",\"tags\":[\"from-log\",\"feedback-down\"],...}"})
  static final class Export implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Option(names = "--feedback", defaultValue = "negative", paramLabel = "WHICH",
        description = "negative (thumbs down), positive, none (no feedback yet) or any (default: ${DEFAULT-VALUE}).")
    String feedback;

    @Option(names = "--format", defaultValue = "jsonl", paramLabel = "FORMAT", description = "jsonl or yaml (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--limit", defaultValue = "200", description = "At most this many, newest first (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--output", paramLabel = "FILE", description = "Write here instead of stdout.")
    Path output;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      String fb = switch (feedback) {
        case "negative" -> "down";
        case "positive" -> "up";
        case "none" -> "none";
        case "any" -> null;
        default -> throw new IllegalArgumentException("--feedback must be negative, positive, none or any, got '" + feedback + "'");
      };
      if (!format.equals("jsonl") && !format.equals("yaml")) throw new IllegalArgumentException("--format must be jsonl or yaml, got '" + format + "'");
      List<Map<String, Object>> cases = new ArrayList<>();
      try (Project p = Project.open(project.root(), false)) {
        for (QueryLog.Logged l : p.queryLog().list(new QueryLog.Query(null, null, null, fb, null, limit, 0))) cases.add(toCase(l));
      }
      String text;
      if (format.equals("jsonl")) {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> c : cases) sb.append(Json.compact(c)).append('\n');
        text = sb.toString();
      } else {
        Map<String, Object> suite = new LinkedHashMap<>();
        suite.put("name", "from-log");
        suite.put("cases", cases);
        text = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)).writeValueAsString(suite);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (output == null) {
        out.print(text);
        out.flush();
      } else {
        Files.writeString(output, text);
        out.println("exported " + cases.size() + " cases to " + output);
      }
      return Main.OK;
    }

    static Map<String, Object> toCase(QueryLog.Logged l) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("id", l.entry().id());
      c.put("question", l.entry().question());
      List<String> tags = new ArrayList<>(List.of("from-log"));
      tags.add(l.feedback() == null ? "no-feedback" : "feedback-" + l.feedback().rating());
      if (l.entry().refused()) tags.add("refused");
      List<Map<String, Object>> asserts = new ArrayList<>();
      if (l.feedback() != null && l.feedback().correctedAnswer() != null && !l.feedback().correctedAnswer().isBlank()) {
        c.put("expected", l.feedback().correctedAnswer());
        asserts.add(Map.of("type", "similar", "threshold", 0.8));
      } else if (l.feedback() != null && l.feedback().rating().equals("down") && l.entry().refused()) {
        asserts.add(Map.of("type", "cites")); // refused, and the user wanted an answer
      } else if (l.feedback() != null && l.feedback().rating().equals("down")) {
        asserts.add(Map.of("type", "not-contains", "value", firstSentence(l.entry().answer()))); // at least not the disliked answer again
      } else {
        asserts.add(Map.of("type", "grounded"));
      }
      c.put("tags", tags);
      c.put("assert", asserts);
      return c;
    }

    private static String firstSentence(String answer) {
      String a = answer.strip();
      int dot = a.indexOf(". ");
      return dot > 0 ? a.substring(0, dot + 1) : a;
    }
  }

  @Command(name = "purge", mixinStandardHelpOptions = true, description = {
      "Delete logged queries and their feedback: one query, every query of an API key, those before a date,",
      "or those past store.retention_days (--expired); criteria given together must all match. Datasets",
      "built afterwards no longer see them.", "",
      "Example:",
      "  $ groundwork log purge --key 81d0c2aa9f3e --before 2026-11-01",
      "  deleted 214 queries (and their feedback)"})
  static final class Purge implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Option(names = "--id", paramLabel = "QUERY_ID") String id;

    @Option(names = "--key", paramLabel = "KEY_ID") String key;

    @Option(names = "--before", paramLabel = "DATE", description = "YYYY-MM-DD (UTC midnight) or an ISO instant.") String before;

    @Option(names = "--expired", description = "Those older than store.retention_days.") boolean expired;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (dev.groundwork.app.Project p = dev.groundwork.app.Project.open(project.root(), false)) {
        int n;
        if (expired) {
          if (id != null || key != null || before != null) throw new dev.groundwork.app.BadInputException("--expired goes alone");
          if (p.config().log().retentionDays() == 0) throw new dev.groundwork.app.BadInputException("store.retention_days is not set in groundwork.yaml");
          n = p.applyRetention(java.time.Instant.now());
        } else {
          if (id == null && key == null && before == null) throw new dev.groundwork.app.BadInputException("give --id, --key, --before or --expired");
          n = p.queryLog().purge(new dev.groundwork.core.log.QueryLog.Purge(id, key, before == null ? null : instant(before)));
        }
        spec.commandLine().getOut().println("deleted " + n + " queries (and their feedback)");
        return Main.OK;
      }
    }

    static java.time.Instant instant(String s) {
      try {
        return s.length() == 10 ? java.time.LocalDate.parse(s).atStartOfDay(java.time.ZoneOffset.UTC).toInstant() : java.time.Instant.parse(s);
      } catch (java.time.format.DateTimeParseException e) {
        throw new dev.groundwork.app.BadInputException("--before: '" + s + "' is not YYYY-MM-DD or an ISO instant like 2026-11-01T00:00:00Z");
      }
    }
  }
}
