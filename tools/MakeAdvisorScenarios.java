import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Writes the labelled scenario projects the advisor is measured on (issue: "let the failures pick the
 * technique"). Run from the repository root:
 *
 * <pre>java tools/MakeAdvisorScenarios.java groundwork-cli/src/test/resources/advisor-scenarios</pre>
 *
 * <p>The procedure, for every scenario: a seeded {@link Random} (seed = the scenario's number) draws
 * six of the twelve topics of a fictional product ("Lumen"), each with two settings whose values are
 * drawn too; each topic becomes one Markdown document ("# Topic" then one sentence per setting, "The
 * default ATTRIBUTE of SUBJECT is VALUE."), and eight of the twelve settings become suite cases
 * ("What is the default ATTRIBUTE of SUBJECT?", expected VALUE, expected source the topic's
 * document). The untouched project passes its suite with the offline extractive answerer. Then one
 * known cause (or two, for the mixes) is applied, and {@code scenario.yaml} records it as the label:
 *
 * <ul>
 *   <li>{@code missing-knowledge}: the documents behind three cases are removed from the corpus;
 *   <li>{@code retrieval-miss}: k is 1, and for each of three cases an "upgrade questions" document
 *       repeats the case's question word for word without answering it, and the right document words
 *       the fact its own way ("An export ships configured with 48 megabytes (file size limit)."), so the
 *       question's words point at the wrong document;
 *   <li>{@code over-refusal}: {@code answer.min_answerability} is set to 0.95, a refusal threshold far above the answerability scores right answers get (about 0.5);
 *   <li>{@code format}: three cases must answer in JSON ({@code is-json});
 *   <li>{@code tone}: three cases are tagged {@code style} and must open with a greeting;
 *   <li>{@code long-documents}: three cases' facts move into one long handbook, one section each: the
 *       heading names the setting, forty sentences of unrelated text follow, and only then the value
 *       ("the value this section is about"), so the section spans several chunks; k is 2;
 *   <li>{@code cost}: recorded traffic ({@code traffic.jsonl}) of 300 queries in 30 days at about
 *       $0.25 each against {@code budgets.month_usd: 20};
 *   <li>{@code latency}: recorded traffic whose p95 latency is about 6 s;
 *   <li>mixes: {@code missing-knowledge} with {@code format} on one more case, and {@code format} (three
 *       cases) with {@code tone} (two more); the primary label is the cause with more failing cases.
 * </ul>
 *
 * <p>The scenarios were written and committed before any detector existed. Re-running this program
 * rewrites them identically.
 */
public final class MakeAdvisorScenarios {
  record Topic(String title, String file, String subject, String[] attrs, String[] units) {}

  record Fact(Topic topic, String attr, String value) {
    String question() {
      return "What is the default " + attr + " of " + topic.subject() + "?";
    }

    String sentence() {
      return "The default " + attr + " of " + topic.subject() + " is " + value + ".";
    }
  }

  static final List<Topic> TOPICS = List.of(
      new Topic("Queues", "queues.md", "a queue", new String[] {"maximum depth", "visibility timeout"}, new String[] {"messages", "seconds"}),
      new Topic("Workers", "workers.md", "a worker pool", new String[] {"concurrency", "heartbeat interval"}, new String[] {"threads", "seconds"}),
      new Topic("Retention", "retention.md", "the archive", new String[] {"retention period", "compaction window"}, new String[] {"days", "hours"}),
      new Topic("Alerts", "alerts.md", "an alert rule", new String[] {"evaluation interval", "silence duration"}, new String[] {"seconds", "minutes"}),
      new Topic("Backups", "backups.md", "a backup job", new String[] {"snapshot interval", "copy count"}, new String[] {"hours", "copies"}),
      new Topic("Authentication", "auth.md", "a login session", new String[] {"idle timeout", "lockout threshold"}, new String[] {"minutes", "attempts"}),
      new Topic("Billing", "billing.md", "an invoice", new String[] {"payment term", "grace period"}, new String[] {"days", "days"}),
      new Topic("Exports", "exports.md", "an export", new String[] {"batch size", "file size limit"}, new String[] {"rows", "megabytes"}),
      new Topic("Webhooks", "webhooks.md", "a webhook", new String[] {"delivery timeout", "retry budget"}, new String[] {"seconds", "deliveries"}),
      new Topic("Search", "search.md", "the search index", new String[] {"refresh interval", "result window"}, new String[] {"seconds", "results"}),
      new Topic("Uploads", "uploads.md", "an upload", new String[] {"part size", "expiry time"}, new String[] {"megabytes", "hours"}),
      new Topic("Rate limits", "rate-limits.md", "an API client", new String[] {"request quota", "burst allowance"}, new String[] {"requests per minute", "requests"}));

  static final String[] FILLER = {
      "This section describes behaviour that most deployments never need to change.",
      "Operators who run several regions should read the regional notes before changing anything here.",
      "The dashboard shows the current state of every component, refreshed in the background.",
      "Changes made through the API take effect on the next reconciliation cycle.",
      "Older releases kept these values in a separate file, which is still read when present.",
      "Audit entries record who changed what, and when, for every administrative action.",
      "Capacity planning depends on traffic shape more than on any single number.",
      "The command line tool and the web console expose the same operations."};

  record Family(String name, String primary, List<String> causes, int count) {}

  static final List<Family> FAMILIES = List.of(
      new Family("missing-knowledge", "missing-knowledge", List.of("missing-knowledge"), 3),
      new Family("retrieval-miss", "retrieval-miss", List.of("retrieval-miss"), 3),
      new Family("over-refusal", "over-refusal", List.of("over-refusal"), 3),
      new Family("format", "format", List.of("format"), 3),
      new Family("tone", "tone", List.of("tone"), 3),
      new Family("long-documents", "long-documents", List.of("long-documents"), 3),
      new Family("cost", "cost", List.of("cost"), 2),
      new Family("latency", "latency", List.of("latency"), 2),
      new Family("mix-knowledge-format", "missing-knowledge", List.of("missing-knowledge", "format"), 1),
      new Family("mix-format-tone", "format", List.of("format", "tone"), 1));

  public static void main(String[] args) throws IOException {
    if (args.length != 1) throw new IllegalArgumentException("usage: java tools/MakeAdvisorScenarios.java OUTPUT_DIR");
    Path out = Path.of(args[0]);
    if (Files.exists(out)) {
      try (Stream<Path> s = Files.walk(out)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
      }
    }
    int n = 0;
    for (Family f : FAMILIES) {
      for (int i = 1; i <= f.count(); i++) {
        n++;
        write(out.resolve(String.format("%02d-%s-%d", n, f.name(), i)), f, n);
      }
    }
    System.out.println("wrote " + n + " scenarios to " + out);
  }

  static void write(Path dir, Family family, long seed) throws IOException {
    Random rnd = new Random(seed);
    List<Topic> topics = new ArrayList<>(TOPICS);
    Collections.shuffle(topics, rnd);
    topics = topics.subList(0, 6);
    Map<Topic, List<Fact>> facts = new LinkedHashMap<>();
    List<Fact> all = new ArrayList<>();
    for (Topic t : topics) {
      List<Fact> fs = new ArrayList<>();
      for (int a = 0; a < 2; a++) {
        Fact fact = new Fact(t, t.attrs()[a], (5 + rnd.nextInt(95)) * (a == 0 ? 10 : 1) + " " + t.units()[a]);
        fs.add(fact);
        all.add(fact);
      }
      facts.put(t, fs);
    }
    List<Fact> cases = new ArrayList<>(all);
    Collections.shuffle(cases, rnd);
    cases = new ArrayList<>(cases.subList(0, 8));
    // the cases a cause acts on: three for the first cause, the next ones for a second
    List<Fact> first = cases.subList(0, 3);
    // a mix's second cause acts on fewer cases than its first, so the primary cause is clear: one case after knowledge, two after format
    List<Fact> second = cases.subList(3, family.causes().size() > 1 && family.causes().get(0).equals("missing-knowledge") ? 4 : 5);

    Map<String, String> docs = new LinkedHashMap<>();
    for (Map.Entry<Topic, List<Fact>> e : facts.entrySet()) {
      StringBuilder d = new StringBuilder("# " + e.getKey().title() + "\n\n");
      for (Fact f : e.getValue()) d.append(f.sentence()).append(' ');
      d.append(FILLER[rnd.nextInt(FILLER.length)]).append('\n');
      docs.put("docs/" + e.getKey().file(), d.toString());
    }
    StringBuilder config = new StringBuilder("# scenario project: see scenario.yaml for what was changed\n");
    Map<Fact, List<String>> extraAsserts = new LinkedHashMap<>();
    Map<Fact, List<String>> tags = new LinkedHashMap<>();
    Map<Fact, String> movedTo = new LinkedHashMap<>();
    String traffic = null;
    for (int c = 0; c < family.causes().size(); c++) {
      String cause = family.causes().get(c);
      List<Fact> on = c == 0 ? first : second;
      switch (cause) {
        case "missing-knowledge" -> {
          for (Fact f : on) docs.remove("docs/" + f.topic().file());
        }
        case "retrieval-miss" -> {
          int k = 0;
          for (Fact f : on) {
            docs.put("docs/faq-" + (++k) + ".md", "# " + f.topic().title() + "\n\n" + f.question()
                + " " + f.question().replace("What is", "Where is") + " " + f.question().replace("What is", "Who sets")
                + " This question comes up in every upgrade, and the upgrade guide covers it per release.\n");
          }
          for (Fact f : on) {
            // the right document says it in its own words, as real documentation does
            docs.computeIfPresent("docs/" + f.topic().file(), (k2, v) -> v.replace(f.sentence(),
                capital(f.topic().subject()) + " ships configured with " + f.value() + " (" + f.attr() + ")."));
          }
          config.append("retrieval: {k: 1}\n");
        }
        case "over-refusal" -> config.append("answer: {min_answerability: 0.95}\n");
        case "format" -> {
          for (Fact f : on) extraAsserts.computeIfAbsent(f, x -> new ArrayList<>()).add("{type: is-json}");
        }
        case "tone" -> {
          for (Fact f : on) {
            extraAsserts.computeIfAbsent(f, x -> new ArrayList<>()).add("{type: regex, value: \"^(Hi|Hello)\\\\b\"}");
            tags.computeIfAbsent(f, x -> new ArrayList<>()).add("style");
          }
        }
        case "long-documents" -> {
          StringBuilder book = new StringBuilder("# Operations handbook\n\n");
          for (int p = 0; p < 3; p++) {
            Fact f = on.get(p);
            book.append("## ").append(capital(f.attr())).append(" of ").append(f.topic().subject()).append("\n\n");
            for (int q = 0; q < 40; q++) book.append(FILLER[rnd.nextInt(FILLER.length)]).append(' ');
            book.append("\n\nAfter all of the above, the value this section is about comes to ").append(f.value()).append(" out of the box.\n\n");
            docs.computeIfPresent("docs/" + f.topic().file(), (k, v) -> v.replace(f.sentence() + " ", ""));
            movedTo.put(f, "docs/handbook.md");
          }
          docs.put("docs/handbook.md", book.toString());
          config.append("retrieval: {k: 2}\n");
        }
        case "cost" -> {
          traffic = traffic(rnd, 300, 0.25, 900);
          config.append("budgets: {month_usd: 20}\n");
        }
        case "latency" -> traffic = traffic(rnd, 200, 0.0, 6000);
        default -> throw new IllegalStateException(cause);
      }
    }
    Files.createDirectories(dir.resolve("docs"));
    Files.createDirectories(dir.resolve("suites"));
    for (Map.Entry<String, String> d : docs.entrySet()) Files.writeString(dir.resolve(d.getKey()), d.getValue());
    Files.writeString(dir.resolve("groundwork.yaml"), config.toString());
    StringBuilder suite = new StringBuilder("name: lumen\nmin_pass_rate: 0.9\ncases:\n");
    int id = 0;
    for (Fact f : cases) {
      id++;
      List<String> as = new ArrayList<>(List.of("{type: contains, value: \"" + f.value() + "\"}"));
      as.addAll(extraAsserts.getOrDefault(f, List.of()));
      suite.append("  - id: c").append(id).append('\n')
          .append("    question: \"").append(f.question()).append("\"\n")
          .append("    expected: \"").append(f.value()).append("\"\n")
          .append("    expected_sources: [").append(movedTo.getOrDefault(f, "docs/" + f.topic().file())).append("]\n");
      if (tags.containsKey(f)) suite.append("    tags: [").append(String.join(", ", tags.get(f))).append("]\n");
      suite.append("    assert: [").append(String.join(", ", as)).append("]\n");
    }
    Files.writeString(dir.resolve("suites/lumen.yaml"), suite.toString());
    if (traffic != null) Files.writeString(dir.resolve("traffic.jsonl"), traffic);
    Files.writeString(dir.resolve("scenario.yaml"), "# written by tools/MakeAdvisorScenarios.java; the label the advisor is measured against\n"
        + "family: " + family.name() + "\nprimary: " + family.primary() + "\ncauses: [" + String.join(", ", family.causes()) + "]\nseed: " + seed + "\n");
  }

  /** {@code n} logged answers over the last 30 days: cost around {@code usd} each, latency around {@code ms}. */
  static String traffic(Random rnd, int n, double usd, int ms) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      double cost = usd * (0.5 + rnd.nextDouble());
      long latency = Math.round(ms * (0.5 + rnd.nextDouble()));
      long ageS = (long) (rnd.nextDouble() * 29 * 86400);
      sb.append(String.format(java.util.Locale.ROOT, "{\"age_s\": %d, \"model\": \"openai:gpt-4.1\", \"cost_usd\": %.6f, \"latency_ms\": %d, \"refused\": false}%n",
          ageS, cost, latency));
    }
    return sb.toString();
  }

  static String capital(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
