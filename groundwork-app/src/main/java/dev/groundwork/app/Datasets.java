package dev.groundwork.app;

import dev.groundwork.app.versions.VersionRegistry;
import dev.groundwork.core.Chunk;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.answer.ContextAssembler;
import dev.groundwork.core.log.QueryLog;
import dev.groundwork.core.model.ChatMessage;
import dev.groundwork.core.model.ModelRegistry;
import dev.groundwork.core.model.TokenCounter;
import dev.groundwork.core.spi.Filter;
import dev.groundwork.eval.EvalCase;
import dev.groundwork.eval.Suite;
import dev.groundwork.tuning.dataset.DatasetCheck;
import dev.groundwork.tuning.dataset.DatasetExport;
import dev.groundwork.tuning.dataset.DatasetFile;
import dev.groundwork.tuning.dataset.Example;
import dev.groundwork.tuning.dataset.Pii;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The project's fine-tuning datasets: built from its query log and eval cases with the RAG context
 * exactly as the project builds it, checked before anyone pays for training, and exported for a
 * trainer. The use cases behind {@code groundwork dataset build | check | export}.
 */
public final class Datasets {
  /** Where examples come from. */
  public static final Set<String> SOURCES = Set.of("log", "eval", "preferences", "teacher", "synthetic");

  /** How many synthetic questions {@code --from synthetic} writes when not told. */
  public static final int DEFAULT_SYNTHETIC = 50;

  /**
   * {@code --from synthetic}: how many chunks to write a question for, and the seed that draws them.
   */
  public record Synthetic(int questions, long seed) {
    public Synthetic {
      if (questions < 1 || questions > 100_000) throw new BadInputException("--synthetic must be in 1..100000, got " + questions);
    }
  }

  /** The tasks: grounded answers from the log and suites, or a teacher's answers distilled into a student. */
  public static final Set<String> TASKS = Set.of("grounded-qa", "distill", "format", "tone");

  /**
   * Training prices published by OpenAI (USD per 1M training tokens), and the epochs billed when
   * none are given: OpenAI's default is "auto", which picks by dataset size; 3 is assumed here.
   */
  static final Map<String, DatasetCheck.TrainingPrice> TRAINING_PRICES = Map.of(
      "openai:gpt-4.1", new DatasetCheck.TrainingPrice(25.00, 3, "2025-04"),
      "openai:gpt-4.1-mini", new DatasetCheck.TrainingPrice(5.00, 3, "2025-04"),
      "openai:gpt-4.1-nano", new DatasetCheck.TrainingPrice(1.50, 3, "2025-04"),
      "openai:gpt-4o", new DatasetCheck.TrainingPrice(25.00, 3, "2024-08"),
      "openai:gpt-4o-mini", new DatasetCheck.TrainingPrice(3.00, 3, "2024-07"));


  /**
   * What {@code build} wrote: how many examples from each source, and what was left out and why; with
   * a teacher, its plan (and when not confirmed, nothing was written: {@code file} is null).
   */
  public record Built(Path file, Map<String, Integer> bySource, List<String> skipped, TeacherPlan teacher) {}

  /**
   * What the teacher will cost, estimated before any call: the questions, the prompt tokens (counted
   * with the teacher's tokenizer, or estimated), the reply tokens at most ({@code answer.max_tokens}
   * each), and the USD at the configured prices (null when the teacher has no known price).
   */
  public record TeacherPlan(String model, int questions, long inputTokens, long maxOutputTokens, Double usd, boolean exactTokens) {}

  private Datasets() {}

  /**
   * Builds {@code output} from {@code from} ({@code log}: answers rated up, and corrected answers of
   * those rated down; {@code eval}: cases of {@code suites} with an expected answer).
   *
   * @param suites suite files or folders for the eval source (null: the project's)
   */
  public static Built build(Project p, Set<String> from, String task, List<Path> suites, Path output, Clock clock) {
    return build(p, from, task, suites, null, false, output, clock);
  }

  /**
   * As above; {@code from} may include {@code teacher}: {@code teacher} (a language model) answers the
   * log's questions with the same retrieved sources the student will see. Its cost is estimated first,
   * and nothing is called or written unless {@code confirmed}.
   */
  public static Built build(Project p, Set<String> from, String task, List<Path> suites, String teacher, boolean confirmed, Path output, Clock clock) {
    return build(p, from, task, suites, teacher, confirmed, null, output, clock);
  }

  /**
   * As above; with {@code task} {@code format}, {@code schemaJson} is the JSON Schema every reply must
   * match: the prompts carry it as the answerer's would, and examples whose reply does not match are
   * left out (and listed).
   */
  public static Built build(Project p, Set<String> from, String task, List<Path> suites, String teacher, boolean confirmed, String schemaJson, Path output,
      Clock clock) {
    return build(p, from, task, suites, teacher, confirmed, schemaJson, null, output, clock);
  }

  /**
   * As above; with {@code task} {@code tone}, {@code teacher} rewrites each example's reply in the
   * house style {@code styleGuide} describes (facts and citations kept), so that the student learns the
   * style without the guide in its prompt. The rewrites' cost is estimated first, as a teacher's is.
   */
  public static Built build(Project p, Set<String> from, String task, List<Path> suites, String teacher, boolean confirmed, String schemaJson,
      String styleGuide, Path output, Clock clock) {
    return build(p, from, task, suites, teacher, confirmed, schemaJson, styleGuide, new Synthetic(DEFAULT_SYNTHETIC, 7), output, clock);
  }

  /**
   * As above; with {@code --from synthetic}, {@code teacher} also writes questions from chunks drawn
   * from the index ({@code synthetic} says how many, and the seed), then answers them from the sources
   * the project retrieves for them, as it does the log's. Suite questions are left out. Both steps are
   * in the estimate shown first.
   */
  public static Built build(Project p, Set<String> from, String task, List<Path> suites, String teacher, boolean confirmed, String schemaJson,
      String styleGuide, Synthetic synthetic, Path output, Clock clock) {
    if (task.equals("tone") != (styleGuide != null)) {
      throw new BadInputException(task.equals("tone") ? "--task tone needs --style FILE (the house style the replies are rewritten in)" : "--style is for --task tone");
    }
    if (task.equals("tone") && (teacher == null || from.contains("teacher"))) {
      throw new BadInputException("--task tone rewrites the replies of log, eval or preference examples with --teacher MODEL; do not add --from teacher");
    }
    if (task.equals("format") != (schemaJson != null)) {
      throw new BadInputException(task.equals("format") ? "--task format needs --schema FILE (the JSON Schema the replies must match)" : "--schema is for --task format");
    }
    dev.groundwork.eval.JsonSchemaValidator validator;
    try {
      validator = schemaJson == null ? null : new dev.groundwork.eval.JsonSchemaValidator(schemaJson);
    } catch (RuntimeException e) {
      throw new BadInputException("--schema: not a JSON Schema: " + e.getMessage());
    }
    return build0(p, from, task, suites, teacher, confirmed, schemaJson, validator, styleGuide, synthetic, output, clock);
  }

  /** @param schema the JSON Schema the prompts carry ({@code --task format}), or null */
  private static Built build0(Project p, Set<String> from, String task, List<Path> suites, String teacher, boolean confirmed, String schema,
      dev.groundwork.eval.JsonSchemaValidator validator, String styleGuide, Synthetic synthetic, Path output, Clock clock) {
    for (String s : from) if (!SOURCES.contains(s)) throw new BadInputException("--from: '" + s + "' is not a source; the sources are " + new java.util.TreeSet<>(SOURCES));
    if (!TASKS.contains(task)) throw new BadInputException("--task: grounded-qa, distill, format or tone, got '" + task + "'");
    boolean taught = from.contains("teacher") || from.contains("synthetic");
    if (task.equals("distill") && !taught) throw new BadInputException("--task distill learns a teacher's answers: add --from teacher (or synthetic) --teacher MODEL");
    if (taught && (teacher == null || teacher.isBlank())) {
      throw new BadInputException("--from " + (from.contains("teacher") ? "teacher" : "synthetic") + " needs --teacher MODEL (a language model, e.g. openai:gpt-4.1)");
    }
    if (teacher != null && !taught && !task.equals("tone")) throw new BadInputException("--teacher is for --from teacher, --from synthetic or --task tone");
    TeacherPlan plan = null;
    List<Teach> lessons = List.of();
    if (from.contains("teacher")) lessons = lessons(p, schema);
    if (taught) {
      plan = plan(p, teacher, lessons);
      if (from.contains("synthetic")) plan = plus(plan, syntheticPlan(p, teacher, synthetic, clock));
      if (!confirmed) return new Built(null, Map.of(), List.of(), plan);
    }
    List<Example> out = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    List<String> skipped = new ArrayList<>();
    String builtAt = clock.instant().toString();
    List<QueryLog.Logged> rated = from.contains("log") || from.contains("preferences") ? rated(p) : List.of();
    if (from.contains("log")) {
      int n = 0;
      for (QueryLog.Logged l : rated) {
        QueryLog.Entry e = l.entry();
        String reply = "up".equals(l.feedback().rating()) ? e.answer() : l.feedback().correctedAnswer();
        if (reply == null || reply.isBlank()) {
          skipped.add("log:" + e.id() + " (rated down without a corrected answer)");
          continue;
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("source", "log");
        meta.put("query_id", e.id());
        meta.put("feedback", l.feedback().rating());
        meta.put("logged_at", e.time().toString());
        out.add(example(p, "log:" + e.id(), task, schema, e.question(), reply, context(p, e), meta, builtAt));
        n++;
      }
      counts.put("log", n);
    }
    if (from.contains("preferences")) counts.put("preferences", preferences(p, rated, task, schema, out, builtAt));
    if (from.contains("eval")) {
      int n = 0;
      for (Suite s : ProjectEvals.load(p, suites != null ? suites : configuredSuites(p))) {
        for (EvalCase c : s.cases()) {
          if (c.expected() == null || c.expected().isBlank() || !c.earlier().isEmpty()) {
            skipped.add("eval:" + s.name() + "/" + c.id() + " (no expected answer" + (c.earlier().isEmpty() ? "" : ", or a conversation") + ")");
            continue;
          }
          Map<String, Object> meta = new LinkedHashMap<>();
          meta.put("source", "eval");
          meta.put("suite", s.name());
          meta.put("case_id", c.id());
          out.add(example(p, "eval:" + s.name() + "/" + c.id(), task, schema, c.question(), c.expected(),
              p.retriever(p.config().retrieval()).search(c.question(), p.config().k(), Filter.NONE).hits(), meta, builtAt));
          n++;
        }
      }
      counts.put("eval", n);
    }
    if (from.contains("teacher")) counts.put("teacher", teach(p, teacher, task, schema, lessons, "teacher", out, skipped, builtAt));
    if (from.contains("synthetic")) counts.put("synthetic", teach(p, teacher, task, schema, syntheticLessons(p, teacher, schema, synthetic, skipped, clock), "synthetic",
        out, skipped, builtAt));
    if (styleGuide != null && !out.isEmpty()) {
      List<Teach> rewrites = new ArrayList<>();
      for (Example x : out) rewrites.add(new Teach(x.id(), String.valueOf(x.metadata().get("question")), List.of(), restylePrompt(styleGuide, x)));
      plan = plan(p, teacher, rewrites);
      if (!confirmed) return new Built(null, Map.of(), List.of(), plan);
      out = restyle(p, teacher, styleGuide, out, rewrites, skipped);
    }
    if (validator != null) {
      // only replies in the format teach the format
      List<Example> kept = new ArrayList<>();
      for (Example x : out) {
        List<String> errors = validator.validate(dev.groundwork.core.answer.GenerativeAnswerer.stripFence(x.messages().get(x.messages().size() - 1).content()));
        if (errors.isEmpty()) {
          kept.add(x);
        } else {
          skipped.add(x.id() + " (the reply does not match the schema: " + errors.get(0) + ")");
          String source = String.valueOf(x.metadata().get("source"));
          counts.computeIfPresent(source, (k, n) -> n - 1);
        }
      }
      if (kept.isEmpty() && !out.isEmpty()) {
        throw new BadInputException("no reply matches the schema: " + out.size() + " examples left out, e.g. " + skipped.get(skipped.size() - 1)
            + "; nothing was written");
      }
      out = kept;
    }
    if (out.isEmpty()) {
      throw new BadInputException("no examples: " + (from.contains("log") ? "rate answers up or correct them (POST /api/feedback) " : "")
          + (from.contains("eval") ? "give suite cases an expected answer " : "") + (from.contains("teacher") ? "log questions for the teacher to answer " : "")
          + "and build again; nothing was written");
    }
    DatasetFile.write(output, out);
    return new Built(output, counts, skipped, plan);
  }

  /**
   * A question for the teacher with the sources the student will see, and the prompt they make.
   *
   * @param meta what the example records about where the question came from
   */
  private record Teach(String queryId, String question, List<ScoredChunk> hits, List<ChatMessage> prompt, Map<String, Object> meta) {
    Teach(String queryId, String question, List<ScoredChunk> hits, List<ChatMessage> prompt) {
      this(queryId, question, hits, prompt, Map.of("query_id", queryId));
    }
  }

  /** The normalised questions of the configured suites, which no teacher may answer for training. */
  private static java.util.Set<String> suiteQuestions(Project p) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (Suite s : ProjectEvals.load(p, configuredSuites(p))) for (EvalCase c : s.cases()) out.add(dev.groundwork.tuning.dataset.NearDuplicates.normalise(c.question()));
    return out;
  }

  /** Reply tokens budgeted for each synthetic question's answer is the model's max_tokens; its prompt is estimated at the context budget. */
  private static TeacherPlan syntheticPlan(Project p, String teacher, Synthetic syn, Clock clock) {
    ModelsConfig m = p.config().models().override(teacher, List.of(), null, null);
    var write = new dev.groundwork.app.versions.ProjectVersions(p, clock).adapters().planSynthetic(m.model(), syn.questions(), syn.seed());
    long answerIn = (long) write.calls() * (p.config().contextTokens() + 400);
    long answerOut = (long) write.calls() * m.maxTokens();
    dev.groundwork.core.model.Price price = m.prices().price(m.model());
    Double answerUsd = price == null ? null : (answerIn * price.input() + answerOut * price.output()) / 1e6;
    Double usd = write.costUsd() == null || answerUsd == null ? null : write.costUsd() + answerUsd;
    return new TeacherPlan(m.model(), write.calls(), write.inputTokens() + answerIn, write.outputTokens() + answerOut, usd, false);
  }

  private static TeacherPlan plus(TeacherPlan a, TeacherPlan b) {
    Double usd = a.usd() == null || b.usd() == null ? null : a.usd() + b.usd();
    return new TeacherPlan(a.model(), a.questions() + b.questions(), a.inputTokens() + b.inputTokens(), a.maxOutputTokens() + b.maxOutputTokens(), usd,
        (a.questions() == 0 || a.exactTokens()) && (b.questions() == 0 || b.exactTokens()));
  }

  /**
   * The synthetic questions: {@code teacher} writes one per chunk drawn from the index; each (once,
   * and not a suite's) is put with the sources the project retrieves for it, as the student will see
   * them.
   */
  private static List<Teach> syntheticLessons(Project p, String teacher, String schema, Synthetic syn, List<String> skipped, Clock clock) {
    ModelsConfig m = p.config().models().override(teacher, List.of(), null, null);
    var written = new dev.groundwork.app.versions.ProjectVersions(p, clock).adapters().synthetic(m.model(), syn.questions(), syn.seed(), i -> { });
    java.util.Set<String> suite = suiteQuestions(p);
    java.util.Set<String> seen = new java.util.HashSet<>();
    List<Teach> out = new ArrayList<>();
    int n = 0;
    for (var pair : written) {
      n++;
      String key = dev.groundwork.tuning.dataset.NearDuplicates.normalise(pair.question());
      if (suite.contains(key)) {
        skipped.add("synthetic:" + n + " (the question is a suite case's: \"" + pair.question() + "\")");
        continue;
      }
      if (!seen.add(key)) continue;
      List<ScoredChunk> hits = p.retriever(p.config().retrieval()).search(pair.question(), p.config().k(), Filter.NONE).hits();
      ContextAssembler.Context ctx = new ContextAssembler(p.config().contextTokens()).assemble(hits);
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("written_from", String.join(",", new java.util.TreeSet<>(pair.documents())));
      meta.put("question_writer", m.model());
      out.add(new Teach("synthetic-" + n, pair.question(), hits, p.config().models().prompt().render(pair.question(), ctx, schema), meta));
    }
    return out;
  }

  /**
   * The log's questions, each once (normalised), without those of the configured suites (a teacher's
   * answer to a suite question would leak the suite into training), with their sources.
   */
  private static List<Teach> lessons(Project p, String schema) {
    java.util.Set<String> suiteQuestions = suiteQuestions(p);
    java.util.Set<String> seen = new java.util.HashSet<>();
    List<Teach> out = new ArrayList<>();
    for (QueryLog.Logged l : p.queryLog().listAll(null, null, null, null, null)) {
      QueryLog.Entry e = l.entry();
      String key = dev.groundwork.tuning.dataset.NearDuplicates.normalise(e.question());
      if (e.error() != null || e.question().isBlank() || suiteQuestions.contains(key) || !seen.add(key)) continue;
      List<ScoredChunk> hits = context(p, e);
      ContextAssembler.Context ctx = new ContextAssembler(p.config().contextTokens()).assemble(hits);
      out.add(new Teach(e.id(), e.question(), hits, p.config().models().prompt().render(e.question(), ctx, schema)));
    }
    return out;
  }

  private static TeacherPlan plan(Project p, String teacher, List<Teach> lessons) {
    ModelsConfig m = p.config().models().override(teacher, List.of(), null, null);
    if (m.model().equals("extractive") || m.model().startsWith(ModelsConfig.ROUTE_PREFIX)) {
      throw new BadInputException("--teacher must be a language model (PROVIDER:MODEL), got '" + teacher + "'");
    }
    TokenCounter tc;
    try {
      tc = ModelRegistry.discover().tokenCounter(m.model());
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--teacher: " + e.getMessage());
    }
    long in = 0;
    for (Teach t : lessons) for (ChatMessage msg : t.prompt()) in += tc.count(msg.content()) + 4;
    long out = (long) lessons.size() * m.maxTokens();
    dev.groundwork.core.model.Price price = m.prices().price(m.model());
    Double usd = price == null ? null : (in * price.input() + out * price.output()) / 1e6;
    return new TeacherPlan(m.model(), lessons.size(), in, out, usd, tc.exact());
  }

  /** The teacher answers each question from its sources; a failed call skips that question, saying why. */
  private static int teach(Project p, String teacher, String task, String schema, List<Teach> lessons, String source, List<Example> out, List<String> skipped,
      String builtAt) {
    ModelsConfig m = p.config().models().override(teacher, List.of(), null, null);
    dev.groundwork.core.model.ChatModel model = p.chatModel(m);
    int n = 0;
    for (Teach t : lessons) {
      dev.groundwork.core.model.ChatResponse r;
      try {
        r = model.chat(new dev.groundwork.core.model.ChatRequest(t.prompt(), m.temperature(), m.maxTokens(), List.of(), null, 42L));
      } catch (RuntimeException e) {
        skipped.add(source + ":" + t.queryId() + " (" + e.getMessage() + ")");
        continue;
      }
      if (r.text().isBlank()) {
        skipped.add(source + ":" + t.queryId() + " (an empty reply)");
        continue;
      }
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("source", source);
      meta.putAll(t.meta());
      meta.put("teacher", r.traceOr(m.model()).answeredBy());
      meta.put("teacher_cost_usd", m.prices().cost(r.traceOr(m.model()).answeredBy(), r.usage()));
      out.add(example(p, source + ":" + t.queryId(), task, schema, t.question(), r.text(), t.hits(), meta, builtAt));
      n++;
    }
    return n;
  }

  /**
   * Preference pairs from the log: a corrected answer over the answer it corrected, and an answer
   * rated up over one rated down to the same question (the same once normalised). The prompt is the
   * preferred answer's own.
   */
  private static int preferences(Project p, List<QueryLog.Logged> rated, String task, String schema, List<Example> out, String builtAt) {
    int n = 0;
    Map<String, List<QueryLog.Logged>> up = new LinkedHashMap<>();
    for (QueryLog.Logged l : rated) {
      if ("up".equals(l.feedback().rating())) {
        up.computeIfAbsent(dev.groundwork.tuning.dataset.NearDuplicates.normalise(l.entry().question()), k -> new ArrayList<>()).add(l);
      }
    }
    for (QueryLog.Logged l : rated) {
      if (!"down".equals(l.feedback().rating())) continue;
      QueryLog.Entry e = l.entry();
      String corrected = l.feedback().correctedAnswer();
      if (corrected != null && !corrected.isBlank()) {
        out.add(pair(p, "pref:" + e.id(), task, schema, e, corrected, e.answer(), "corrected", builtAt));
        n++;
      }
      for (QueryLog.Logged good : up.getOrDefault(dev.groundwork.tuning.dataset.NearDuplicates.normalise(e.question()), List.of())) {
        out.add(pair(p, "pref:" + good.entry().id() + ":" + e.id(), task, schema, good.entry(), good.entry().answer(), e.answer(), "rated", builtAt));
        n++;
      }
    }
    return n;
  }

  private static Example pair(Project p, String id, String task, String schema, QueryLog.Entry e, String chosen, String rejected, String kind, String builtAt) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("source", "preferences");
    meta.put("pair", kind);
    meta.put("query_id", e.id());
    meta.put("logged_at", e.time().toString());
    Example x = example(p, id, task, schema, e.question(), chosen, context(p, e), meta, builtAt);
    return new Example(x.id(), x.task(), x.messages(), x.metadata(), rejected);
  }

  /** The log's answered queries that have feedback, newest first, read a page at a time. */
  private static List<QueryLog.Logged> rated(Project p) {
    return p.queryLog().listAll(null, null, null, null, null).stream().filter(l -> l.feedback() != null && l.entry().error() == null).toList();
  }

  /** The chunks a logged answer was built from, as retrieved then; retrieved again when the index has changed. */
  private static List<ScoredChunk> context(Project p, QueryLog.Entry e) {
    List<ScoredChunk> hits = new ArrayList<>();
    for (int i = 0; i < e.retrieved().size(); i++) {
      Optional<Chunk> c = p.index().chunk(e.retrieved().get(i));
      if (c.isEmpty()) return p.retriever(p.config().retrieval()).search(e.question(), p.config().k(), Filter.NONE).hits();
      hits.add(new ScoredChunk(c.get(), i < e.scores().size() ? e.scores().get(i) : 0));
    }
    return hits;
  }

  private static Example example(Project p, String id, String task, String schema, String question, String reply, List<ScoredChunk> hits, Map<String, Object> meta,
      String builtAt) {
    ContextAssembler.Context ctx = new ContextAssembler(p.config().contextTokens()).assemble(hits);
    List<Example.Message> msgs = new ArrayList<>();
    for (ChatMessage m : p.config().models().prompt().render(question, ctx, schema)) {
      msgs.add(new Example.Message(m.role().name().toLowerCase(java.util.Locale.ROOT), m.content()));
    }
    msgs.add(new Example.Message("assistant", reply));
    List<String> docs = ctx.sources().stream().map(s -> s.hit().chunk().source()).distinct().toList();
    StringBuilder texts = new StringBuilder();
    for (var s : ctx.sources()) texts.append(s.hit().chunk().id()).append('\u0000').append(s.hit().chunk().text()).append('\u0000');
    meta.put("question", question);
    meta.putIfAbsent("teacher", null);
    meta.put("built_at", builtAt);
    meta.put("documents", docs);
    meta.put("documents_hash", VersionRegistry.sha256(texts.toString().getBytes(StandardCharsets.UTF_8)));
    return new Example(id, task, msgs, meta);
  }

  /** What the teacher is asked to rewrite a reply: the guide, then the question and the reply. */
  private static List<ChatMessage> restylePrompt(String guide, Example x) {
    String reply = x.messages().get(x.messages().size() - 1).content();
    return List.of(ChatMessage.system("Rewrite the answer below in the house style this guide describes. Keep every fact and every [n] citation"
            + " exactly; change only the wording. Reply with the rewritten answer only.\n\nStyle guide:\n" + guide.strip()),
        ChatMessage.user("Question: " + x.metadata().get("question") + "\n\nAnswer:\n" + reply));
  }

  /** Each example with its reply rewritten by the teacher; a failed rewrite leaves the example out, saying why. */
  private static List<Example> restyle(Project p, String teacher, String guide, List<Example> in, List<Teach> prompts, List<String> skipped) {
    ModelsConfig m = p.config().models().override(teacher, List.of(), null, null);
    dev.groundwork.core.model.ChatModel model = p.chatModel(m);
    String guideHash = VersionRegistry.sha256(guide.getBytes(StandardCharsets.UTF_8));
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      Example x = in.get(i);
      dev.groundwork.core.model.ChatResponse r;
      try {
        r = model.chat(new dev.groundwork.core.model.ChatRequest(prompts.get(i).prompt(), m.temperature(), m.maxTokens(), List.of(), null, 42L));
      } catch (RuntimeException e) {
        skipped.add(x.id() + " (the rewrite failed: " + e.getMessage() + ")");
        continue;
      }
      if (r.text().isBlank()) {
        skipped.add(x.id() + " (an empty rewrite)");
        continue;
      }
      List<Example.Message> msgs = new ArrayList<>(x.messages().subList(0, x.messages().size() - 1));
      msgs.add(new Example.Message("assistant", r.text().strip()));
      Map<String, Object> meta = new LinkedHashMap<>(x.metadata());
      meta.put("original_reply", x.messages().get(x.messages().size() - 1).content());
      meta.put("style_teacher", r.traceOr(m.model()).answeredBy());
      meta.put("style_guide_sha256", guideHash);
      out.add(new Example(x.id(), "tone", msgs, meta, x.rejected()));
    }
    return out;
  }

  static List<Path> configuredSuites(Project p) {
    return p.config().suites().stream().map(s -> p.root().resolve(s)).filter(Files::exists).toList();
  }

  /**
   * Checks {@code file} for {@code targets} (model names; none: the project's answer model if it is
   * a language model, else {@code openai:gpt-4.1-mini}); with {@code scrub}, personal data is
   * replaced in the file first.
   *
   * @param pricePerMillion a training price for every target, or null for the published ones
   */
  public static DatasetCheck.Report check(Project p, Path file, List<String> targets, boolean scrub, Integer epochs, Double pricePerMillion) {
    DatasetFile.Read read = DatasetFile.read(file);
    Pii pii = Pii.standard("US");
    if (scrub) {
      List<Example> clean = DatasetCheck.scrub(read.examples(), pii);
      if (read.problems().isEmpty()) DatasetFile.write(file, clean);
      else throw new BadInputException(file + ": " + read.problems().size() + " lines are not examples (first: line " + read.problems().get(0).line()
          + ", " + read.problems().get(0).message() + "); fix them before --scrub rewrites the file");
      read = new DatasetFile.Read(clean, read.problems());
    }
    Map<String, String> suiteQuestions = new LinkedHashMap<>();
    for (Suite s : ProjectEvals.load(p, configuredSuites(p))) for (EvalCase c : s.cases()) suiteQuestions.put(s.name() + "/" + c.id(), c.question());
    List<String> names = targets == null || targets.isEmpty()
        ? List.of(p.config().answerModel().contains(":") ? p.config().answerModel() : "openai:gpt-4.1-mini") : targets;
    ModelRegistry registry = ModelRegistry.discover();
    List<DatasetCheck.Target> ts = new ArrayList<>();
    for (String name : names) {
      TokenCounter tc;
      try {
        tc = registry.tokenCounter(name);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--target: " + e.getMessage());
      }
      DatasetCheck.TrainingPrice price = pricePerMillion != null ? new DatasetCheck.TrainingPrice(pricePerMillion, 1, "given") : TRAINING_PRICES.get(name);
      ts.add(new DatasetCheck.Target(name, tc::count, tc.exact(), tc.method(), tc.contextWindow(), price));
    }
    return DatasetCheck.run(read, suiteQuestions, pii, p.config().models().prompt()::isRefusal, ts, epochs);
  }

  public static DatasetExport.Written export(Path file, String format, Path dir, double validationShare, long seed) {
    DatasetFile.Read read = DatasetFile.read(file);
    if (!read.problems().isEmpty()) {
      throw new BadInputException(file + ": line " + read.problems().get(0).line() + ": " + read.problems().get(0).message() + " (run groundwork dataset check)");
    }
    try {
      return DatasetExport.export(read.examples(), format, dir, validationShare, seed);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
  }
}
