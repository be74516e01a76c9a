package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.core.log.QueryLog;
import dev.groundwork.store.jdbc.JdbcQueryLog;
import dev.groundwork.store.jdbc.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From the query log to a trainer's files: build keeps each logged answer's own sources in the
 * prompt, check fails on a suite question and on personal data until scrubbed, export splits by seed.
 */
class DatasetIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path project;

  @Test
  void buildCheckScrubAndExportFromTheLog() throws Exception {
    Files.createDirectories(project.resolve("docs"));
    Files.writeString(project.resolve("docs/retries.md"), "# Retries\n\nA job gets 5 attempts in total before the dead-letter queue.\n");
    Files.writeString(project.resolve("docs/ports.md"), "# Ports\n\nThe admin dashboard listens on port 8089.\n");
    Files.createDirectories(project.resolve("suites"));
    Files.writeString(project.resolve("suites/faq.yaml"), """
        name: faq
        cases:
          - {id: attempts, question: "How many attempts does a job get?", assert: [{type: contains, value: "5"}]}
        """);
    assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
    JsonNode hits = Cli.run("search", "-C", project.toString(), "--json", "--k", "2", "admin dashboard port").json().path("hits");
    List<String> ids = new ArrayList<>();
    hits.forEach(h -> ids.add(h.path("chunk_id").asText()));
    try (JdbcStore store = JdbcStore.sqlite(project.resolve(".groundwork/groundwork.db")); QueryLog log = new JdbcQueryLog(store)) {
      log.record(entry("q1", "Which port does the admin dashboard listen on?", "Port 8089 [1].", ids));
      log.record(entry("q2", "How many attempts does a job get?", "5 attempts [1].", ids)); // a suite question
      log.record(entry("q3", "I am bob@example.com, which port is the dashboard on?", "Port 8089 [1].", ids));
      log.record(entry("q4", "What port?", "Port 9000 [1].", ids));
      log.record(entry("q5", "Never rated", "x", ids));
      log.feedback(new QueryLog.Feedback("q1", "up", null, null, Instant.now()));
      log.feedback(new QueryLog.Feedback("q2", "up", null, null, Instant.now()));
      log.feedback(new QueryLog.Feedback("q3", "up", null, null, Instant.now()));
      log.feedback(new QueryLog.Feedback("q4", "down", "The admin dashboard listens on port 8089 [1].", null, Instant.now()));
    }
    Path data = project.resolve("data/support.jsonl");
    Cli build = Cli.run("dataset", "build", "-C", project.toString(), "--from", "log", "--output", data.toString(), "--json");
    assertThat(build.code()).as(build.err()).isZero();
    assertThat(build.json().path("examples").asInt()).isEqualTo(4);
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(data)) lines.add(JSON.readTree(l));
    JsonNode q4 = lines.stream().filter(n -> n.path("id").asText().equals("log:q4")).findFirst().orElseThrow();
    JsonNode msgs = q4.path("messages");
    assertThat(msgs.get(0).path("role").asText()).isEqualTo("system");
    // the prompt holds the answer's own sources, numbered as the project numbers them; the reply is the correction
    assertThat(msgs.get(1).path("content").asText()).contains("[1] docs/ports.md").contains("port 8089").contains("What port?");
    assertThat(msgs.get(2).path("content").asText()).isEqualTo("The admin dashboard listens on port 8089 [1].");
    assertThat(q4.path("metadata").path("query_id").asText()).isEqualTo("q4");
    assertThat(q4.path("metadata").path("documents").toString()).contains("docs/ports.md");
    assertThat(q4.path("metadata").path("documents_hash").asText()).hasSize(64);

    Cli check = Cli.run("dataset", "check", "-C", project.toString(), data.toString(), "--target", "openai:gpt-4.1-mini,together:meta-llama/Llama-3.2-3B",
        "--json");
    assertThat(check.code()).as(check.out() + check.err()).isEqualTo(Main.FAILED_CHECKS);
    JsonNode r = check.json();
    assertThat(r.path("passed").asBoolean()).isFalse();
    assertThat(r.path("contaminated")).extracting(JsonNode::asText).containsExactly("log:q2");
    assertThat(r.path("pii").path("email").asInt()).isEqualTo(1);
    JsonNode pre = r.path("preflight");
    assertThat(pre.get(0).path("tokens_exact").asBoolean()).isTrue();
    assertThat(pre.get(0).path("usd").asDouble()).isPositive();
    assertThat(pre.get(1).path("tokens_exact").asBoolean()).isFalse();
    assertThat(pre.get(1).path("tokenizer").asText()).contains("an estimate");
    assertThat(pre.get(1).path("usd").isNull()).isTrue();

    // scrubbed, the personal data is gone from the file; the suite question still fails the check
    Cli scrubbed = Cli.run("dataset", "check", "-C", project.toString(), data.toString(), "--scrub", "--json");
    assertThat(scrubbed.json().path("pii").size()).isZero();
    assertThat(Files.readString(data)).doesNotContain("bob@example.com").contains("[EMAIL]");
    assertThat(scrubbed.code()).isEqualTo(Main.FAILED_CHECKS);

    Cli export = Cli.run("dataset", "export", data.toString(), "--format", "together", "--output", project.resolve("out").toString(),
        "--validation-share", "0.25", "--seed", "3");
    assertThat(export.code()).as(export.err()).isZero();
    assertThat(Files.readAllLines(project.resolve("out/train.jsonl"))).hasSize(3);
    assertThat(Files.readAllLines(project.resolve("out/validation.jsonl"))).hasSize(1);

    // preference pairs: q4's correction over its original answer
    Path pairs = project.resolve("data/pairs.jsonl");
    Cli pref = Cli.run("dataset", "build", "-C", project.toString(), "--from", "preferences", "--output", pairs.toString(), "--json");
    assertThat(pref.code()).as(pref.err()).isZero();
    assertThat(pref.json().path("examples").asInt()).isEqualTo(1);
    JsonNode pair = JSON.readTree(Files.readAllLines(pairs).get(0));
    assertThat(pair.path("rejected").asText()).isEqualTo("Port 9000 [1].");
    assertThat(pair.path("messages").get(2).path("content").asText()).isEqualTo("The admin dashboard listens on port 8089 [1].");
    assertThat(Cli.run("dataset", "export", pairs.toString(), "--format", "openai-dpo", "--output", project.resolve("dpo").toString(),
        "--validation-share", "0").code()).isZero();
    JsonNode dpo = JSON.readTree(Files.readAllLines(project.resolve("dpo/train.jsonl")).get(0));
    assertThat(dpo.path("non_preferred_output").get(0).path("content").asText()).isEqualTo("Port 9000 [1].");
    assertThat(dpo.path("input").path("messages").get(1).path("content").asText()).contains("What port?");

    // a purged query is gone from datasets built afterwards
    Cli purge = Cli.run("log", "purge", "-C", project.toString(), "--id", "q1");
    assertThat(purge.out()).contains("deleted 1 queries");
    Cli rebuilt = Cli.run("dataset", "build", "-C", project.toString(), "--from", "log", "--output", project.resolve("data/again.jsonl").toString(), "--json");
    assertThat(rebuilt.json().path("examples").asInt()).isEqualTo(3);
    assertThat(Files.readString(project.resolve("data/again.jsonl"))).doesNotContain("log:q1\"");
    assertThat(Cli.run("log", "purge", "-C", project.toString()).code()).isEqualTo(Main.USAGE);

    // bad input: a broken line is named, an unknown target refused, and nothing is rewritten
    Files.writeString(data, Files.readString(data) + "{broken\n");
    String before = Files.readString(data);
    Cli broken = Cli.run("dataset", "check", "-C", project.toString(), data.toString(), "--scrub");
    assertThat(broken.code()).isEqualTo(Main.USAGE);
    assertThat(broken.err()).contains("line 5").contains("not JSON");
    assertThat(Files.readString(data)).isEqualTo(before);
    Cli unknown = Cli.run("dataset", "check", "-C", project.toString(), data.toString(), "--target", "nope:model");
    assertThat(unknown.code()).isEqualTo(Main.USAGE);
    assertThat(unknown.err()).contains("unknown provider 'nope'");
  }

  @Test
  void aTeacherAnswersTheLogsQuestionsFromTheSameSourcesAfterShowingItsCost() throws Exception {
    try (dev.groundwork.testkit.FakeOpenAiServer teacher = new dev.groundwork.testkit.FakeOpenAiServer()) {
      Files.createDirectories(project.resolve("docs"));
      Files.writeString(project.resolve("docs/ports.md"), "# Ports\n\nThe admin dashboard listens on port 8089.\n");
      Files.createDirectories(project.resolve("suites"));
      Files.writeString(project.resolve("suites/faq.yaml"), "name: faq\ncases:\n  - {id: port, question: \"What port does the dashboard use?\", assert: [{type: contains, value: \"8089\"}]}\n");
      Files.writeString(project.resolve("groundwork.yaml"), "models: {openai: {base_url: \"" + teacher.baseUrl() + "\", api_key: k}, retries: 0}\n"
          + "answer: {max_tokens: 100}\nprices: {\"openai:gpt-4.1\": {input: 2.0, output: 8.0}}\n");
      assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
      JsonNode hits = Cli.run("search", "-C", project.toString(), "--json", "--k", "1", "admin dashboard port").json().path("hits");
      List<String> ids = List.of(hits.get(0).path("chunk_id").asText());
      try (JdbcStore store = JdbcStore.sqlite(project.resolve(".groundwork/groundwork.db")); QueryLog log = new JdbcQueryLog(store)) {
        log.record(entry("q1", "Which port does the admin dashboard listen on?", "not sure", ids));
        log.record(entry("q2", "which port does the  admin dashboard listen on", "not sure", ids)); // the same question again
        log.record(entry("q3", "What port does the dashboard use?", "8089", ids)); // a suite question: never taught
        log.record(entry("q4", "Is the dashboard on port 8089?", "yes", ids));
      }
      Path data = project.resolve("data/distill.jsonl");
      // first the estimate: nothing is called, nothing is written
      Cli plan = Cli.run("dataset", "build", "-C", project.toString(), "--from", "teacher", "--teacher", "openai:gpt-4.1", "--task", "distill",
          "--output", data.toString());
      assertThat(plan.code()).as(plan.err()).isZero();
      assertThat(plan.out()).contains("teacher openai:gpt-4.1: 2 questions").contains("(exact)").contains("at most 200 reply tokens").contains("about $")
          .contains("run again with --yes");
      assertThat(teacher.requests()).isEmpty();
      assertThat(data).doesNotExist();

      Cli built = Cli.run("dataset", "build", "-C", project.toString(), "--from", "teacher", "--teacher", "openai:gpt-4.1", "--task", "distill",
          "--output", data.toString(), "--yes", "--json");
      assertThat(built.code()).as(built.err()).isZero();
      assertThat(built.json().path("by_source").path("teacher").asInt()).isEqualTo(2);
      assertThat(teacher.requests()).hasSize(2);
      // the teacher saw the student's prompt: the project's sources, numbered
      assertThat(teacher.requests().get(0).body()).contains("port 8089");
      List<JsonNode> lines = new ArrayList<>();
      for (String l : Files.readAllLines(data)) lines.add(JSON.readTree(l));
      JsonNode first = lines.get(0);
      assertThat(first.path("task").asText()).isEqualTo("distill");
      assertThat(first.path("metadata").path("teacher").asText()).isEqualTo("openai:gpt-4.1");
      assertThat(first.path("metadata").path("source").asText()).isEqualTo("teacher");
      assertThat(first.path("metadata").path("teacher_cost_usd").asDouble()).isPositive();
      JsonNode msgs = first.path("messages");
      assertThat(msgs.get(msgs.size() - 1).path("content").asText()).startsWith("According to the sources, The admin dashboard listens on port 8089.");
      // each question once (q1 and q2 are one question: the newest is taught), never the suite's q3
      List<String> taught = lines.stream().map(n -> n.path("metadata").path("query_id").asText()).toList();
      assertThat(taught).hasSize(2).contains("q4").doesNotContain("q3");
      assertThat(taught.stream().filter(q -> q.equals("q1") || q.equals("q2"))).hasSize(1);
      // and the result passes the contamination check
      assertThat(Cli.run("dataset", "check", "-C", project.toString(), data.toString(), "--json").json().path("contaminated")).isEmpty();

      Cli noTeacher = Cli.run("dataset", "build", "-C", project.toString(), "--from", "teacher", "--output", data.toString());
      assertThat(noTeacher.code()).isEqualTo(2);
      assertThat(noTeacher.err()).contains("--from teacher needs --teacher MODEL");
      Cli distillAlone = Cli.run("dataset", "build", "-C", project.toString(), "--task", "distill", "--output", data.toString());
      assertThat(distillAlone.err()).contains("--task distill learns a teacher's answers");
    }
  }

  @Test
  void syntheticQuestionsAreWrittenFromChunksThenAnsweredFromWhatTheProjectRetrieves() throws Exception {
    try (dev.groundwork.testkit.FakeOpenAiServer teacher = new dev.groundwork.testkit.FakeOpenAiServer()) {
      teacher.respondWith(req -> {
        String body = req.body();
        if (body.contains("Write one question that a user")) {
          // asked for a question about a chunk: the ports chunk gets a new one, the jobs chunk a suite question
          return teacher.text(body.contains("8089") ? "Which port does the admin dashboard listen on?" : "What port does the dashboard use?", 30, 0, 8);
        }
        return teacher.text(body.contains("8089") ? "It listens on port 8089 [1]." : "I do not know.", 30, 0, 8);
      });
      Files.createDirectories(project.resolve("docs"));
      Files.writeString(project.resolve("docs/ports.md"), "# Ports\n\nThe admin dashboard listens on port 8089.\n");
      Files.writeString(project.resolve("docs/jobs.md"), "# Jobs\n\nA failed job is retried up to 5 times.\n");
      Files.createDirectories(project.resolve("suites"));
      Files.writeString(project.resolve("suites/faq.yaml"), "name: faq\ncases:\n  - {id: port, question: \"What port does the dashboard use?\", assert: [{type: contains, value: \"8089\"}]}\n");
      Files.writeString(project.resolve("groundwork.yaml"), "models: {openai: {base_url: \"" + teacher.baseUrl() + "\", api_key: k}, retries: 0}\n"
          + "answer: {max_tokens: 100}\nprices: {\"openai:gpt-4.1\": {input: 2.0, output: 8.0}}\n");
      assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
      Path data = project.resolve("data/synthetic.jsonl");
      Cli plan = Cli.run("dataset", "build", "-C", project.toString(), "--from", "synthetic", "--teacher", "openai:gpt-4.1", "--synthetic", "2",
          "--output", data.toString());
      assertThat(plan.code()).as(plan.err()).isZero();
      assertThat(plan.out()).contains("teacher openai:gpt-4.1: 2 questions").contains("(estimated)").contains("about $").contains("run again with --yes");
      assertThat(teacher.requests()).isEmpty();
      assertThat(data).doesNotExist();

      Cli built = Cli.run("dataset", "build", "-C", project.toString(), "--from", "synthetic", "--teacher", "openai:gpt-4.1", "--synthetic", "2",
          "--task", "distill", "--output", data.toString(), "--yes", "--json");
      assertThat(built.code()).as(built.err()).isZero();
      // two questions written; the one that is a suite case's is never answered for training
      assertThat(built.json().path("by_source").path("synthetic").asInt()).isEqualTo(1);
      assertThat(built.json().path("skipped").toString()).contains("is a suite case's");
      assertThat(teacher.requests()).hasSize(3);
      List<String> lines = Files.readAllLines(data);
      assertThat(lines).hasSize(1);
      JsonNode x = JSON.readTree(lines.get(0));
      assertThat(x.path("metadata").path("source").asText()).isEqualTo("synthetic");
      assertThat(x.path("metadata").path("question_writer").asText()).isEqualTo("openai:gpt-4.1");
      assertThat(x.path("metadata").path("teacher").asText()).isEqualTo("openai:gpt-4.1");
      assertThat(x.path("metadata").path("written_from").asText()).contains("ports");
      JsonNode msgs = x.path("messages");
      assertThat(msgs.get(msgs.size() - 2).path("content").asText()).contains("BEGIN SOURCES").contains("port 8089")
          .endsWith("Question: Which port does the admin dashboard listen on?");
      assertThat(msgs.get(msgs.size() - 1).path("content").asText()).isEqualTo("It listens on port 8089 [1].");
      assertThat(Cli.run("dataset", "check", "-C", project.toString(), data.toString(), "--json").json().path("contaminated")).isEmpty();

      Cli noTeacher = Cli.run("dataset", "build", "-C", project.toString(), "--from", "synthetic", "--output", data.toString());
      assertThat(noTeacher.code()).isEqualTo(2);
      assertThat(noTeacher.err()).contains("--from synthetic needs --teacher MODEL");
      Cli zero = Cli.run("dataset", "build", "-C", project.toString(), "--from", "synthetic", "--teacher", "openai:gpt-4.1", "--synthetic", "0",
          "--output", data.toString());
      assertThat(zero.err()).contains("--synthetic must be in 1..100000");
    }
  }

  @Test
  void formatKeepsOnlyRepliesThatMatchTheSchemaAndPutsTheSchemaInThePrompt() throws Exception {
    Files.createDirectories(project.resolve("docs"));
    Files.writeString(project.resolve("docs/ports.md"), "# Ports\n\nThe admin dashboard listens on port 8089.\n");
    assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
    JsonNode hits = Cli.run("search", "-C", project.toString(), "--json", "--k", "1", "admin dashboard port").json().path("hits");
    List<String> ids = List.of(hits.get(0).path("chunk_id").asText());
    try (JdbcStore store = JdbcStore.sqlite(project.resolve(".groundwork/groundwork.db")); QueryLog log = new JdbcQueryLog(store)) {
      log.record(entry("q1", "Which port does the dashboard use?", "{\"port\": 8089, \"source\": \"[1]\"}", ids));
      log.record(entry("q2", "What port is the admin page on?", "```json\n{\"port\": 8089}\n```", ids)); // fenced, still the format
      log.record(entry("q3", "Dashboard port?", "It is 8089 [1].", ids)); // prose: not the format
      log.record(entry("q4", "Admin port as text?", "{\"port\": \"eighty\"}", ids)); // JSON, but not the schema
      for (String q : List.of("q1", "q2", "q3", "q4")) log.feedback(new QueryLog.Feedback(q, "up", null, null, Instant.now()));
    }
    Path schema = project.resolve("port.schema.json");
    Files.writeString(schema, "{\"type\": \"object\", \"properties\": {\"port\": {\"type\": \"integer\"}}, \"required\": [\"port\"]}");
    Path data = project.resolve("data/format.jsonl");
    Cli built = Cli.run("dataset", "build", "-C", project.toString(), "--task", "format", "--schema", schema.toString(), "--output", data.toString(), "--json");
    assertThat(built.code()).as(built.err()).isZero();
    assertThat(built.json().path("by_source").path("log").asInt()).isEqualTo(2);
    assertThat(built.json().path("skipped").toString()).contains("log:q3 (the reply does not match the schema").contains("log:q4 (the reply does not match the schema");
    List<String> lines = Files.readAllLines(data);
    assertThat(lines).hasSize(2);
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.path("task").asText()).isEqualTo("format");
    assertThat(first.path("messages").get(0).path("content").asText()).contains("matches this JSON Schema").contains("\"required\": [\"port\"]");
    Cli noSchema = Cli.run("dataset", "build", "-C", project.toString(), "--task", "format", "--output", data.toString());
    assertThat(noSchema.code()).isEqualTo(2);
    assertThat(noSchema.err()).contains("--task format needs --schema FILE");
    // a schema nothing matches: said so, and nothing is written over the last good file
    Files.writeString(schema, "{\"type\": \"array\"}");
    Cli none = Cli.run("dataset", "build", "-C", project.toString(), "--task", "format", "--schema", schema.toString(), "--output", data.toString());
    assertThat(none.err()).contains("no reply matches the schema: 4 examples left out");
    assertThat(Files.readAllLines(data)).hasSize(2);
    Files.writeString(schema, "{not json");
    assertThat(Cli.run("dataset", "build", "-C", project.toString(), "--task", "format", "--schema", schema.toString(), "--output", data.toString()).err())
        .contains("--schema: not a JSON Schema");
  }

  @Test
  void toneRewritesEachReplyInTheHouseStyleKeepingItsCitations() throws Exception {
    try (dev.groundwork.testkit.FakeOpenAiServer teacher = new dev.groundwork.testkit.FakeOpenAiServer()) {
      // the stand-in rewrites by greeting first, when asked to rewrite
      teacher.respondWith(req -> {
        String body = req.body();
        if (!body.contains("Style guide")) return null;
        JsonNode msgs = req.json().path("messages");
        String answer = msgs.get(msgs.size() - 1).path("content").asText().replaceFirst("(?s).*Answer:\\n", "");
        return teacher.text("Hello! " + answer, 40, 0, 10);
      });
      Files.createDirectories(project.resolve("docs"));
      Files.writeString(project.resolve("docs/ports.md"), "# Ports\n\nThe admin dashboard listens on port 8089.\n");
      Files.writeString(project.resolve("groundwork.yaml"), "models: {openai: {base_url: \"" + teacher.baseUrl() + "\", api_key: k}, retries: 0}\n");
      assertThat(Cli.run("ingest", "-C", project.toString(), "docs").code()).isZero();
      JsonNode hits = Cli.run("search", "-C", project.toString(), "--json", "--k", "1", "admin dashboard port").json().path("hits");
      List<String> ids = List.of(hits.get(0).path("chunk_id").asText());
      try (JdbcStore store = JdbcStore.sqlite(project.resolve(".groundwork/groundwork.db")); QueryLog log = new JdbcQueryLog(store)) {
        log.record(entry("q1", "Which port does the dashboard use?", "Port 8089 [1].", ids));
        log.record(entry("q2", "Is the dashboard on 8089?", "Yes, 8089 [1].", ids));
        log.feedback(new QueryLog.Feedback("q1", "up", null, null, Instant.now()));
        log.feedback(new QueryLog.Feedback("q2", "up", null, null, Instant.now()));
      }
      Path guide = project.resolve("style.md");
      Files.writeString(guide, "Greet the reader first. Keep it short.\n");
      Path data = project.resolve("data/tone.jsonl");
      Cli plan = Cli.run("dataset", "build", "-C", project.toString(), "--task", "tone", "--style", guide.toString(), "--teacher", "openai:gpt-4.1-mini",
          "--output", data.toString());
      assertThat(plan.code()).as(plan.err()).isZero();
      assertThat(plan.out()).contains("teacher openai:gpt-4.1-mini: 2 replies to rewrite").contains("run again with --yes");
      assertThat(teacher.requests()).isEmpty();
      assertThat(data).doesNotExist();
      Cli built = Cli.run("dataset", "build", "-C", project.toString(), "--task", "tone", "--style", guide.toString(), "--teacher", "openai:gpt-4.1-mini",
          "--output", data.toString(), "--yes");
      assertThat(built.code()).as(built.err()).isZero();
      List<JsonNode> lines = new ArrayList<>();
      for (String l : Files.readAllLines(data)) lines.add(JSON.readTree(l));
      assertThat(lines).hasSize(2).allSatisfy(n -> {
        JsonNode msgs = n.path("messages");
        String reply = msgs.get(msgs.size() - 1).path("content").asText();
        assertThat(reply).startsWith("Hello! ").contains("8089 [1]");
        assertThat(n.path("task").asText()).isEqualTo("tone");
        assertThat(n.path("metadata").path("original_reply").asText()).isEqualTo(reply.substring("Hello! ".length()));
        assertThat(n.path("metadata").path("style_teacher").asText()).isEqualTo("openai:gpt-4.1-mini");
        // the student's prompt does not carry the guide: it learns the style without it
        assertThat(msgs.get(0).path("content").asText()).doesNotContain("Greet the reader");
      });
      Cli noStyle = Cli.run("dataset", "build", "-C", project.toString(), "--task", "tone", "--teacher", "openai:gpt-4.1-mini", "--output", data.toString());
      assertThat(noStyle.err()).contains("--task tone needs --style FILE");
    }
  }

  static QueryLog.Entry entry(String id, String question, String answer, List<String> retrieved) {
    List<Double> scores = retrieved.stream().map(x -> 0.5).toList();
    return new QueryLog.Entry(id, Instant.parse("2026-12-01T10:00:00Z"), null, question, answer, false, "extractive", false, retrieved, scores,
        List.of(), 10, 5, 0.0, 12, null, null, null, null);
  }
}
