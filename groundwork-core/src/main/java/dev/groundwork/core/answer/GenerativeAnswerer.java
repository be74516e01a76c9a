package dev.groundwork.core.answer;

import dev.groundwork.core.Answer;
import dev.groundwork.core.Chunk;
import dev.groundwork.core.Citation;
import dev.groundwork.core.Generation;
import dev.groundwork.core.ScoredChunk;
import dev.groundwork.core.Step;
import dev.groundwork.core.Usage;
import dev.groundwork.core.model.ChatMessage;
import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatRequest;
import dev.groundwork.core.model.ChatResponse;
import dev.groundwork.core.model.CitationParser;
import dev.groundwork.core.model.ModelException;
import dev.groundwork.core.model.PriceTable;
import dev.groundwork.core.model.TokenUsage;
import dev.groundwork.core.model.ToolCall;
import dev.groundwork.core.model.ToolSpec;
import dev.groundwork.core.spi.Answerer;
import dev.groundwork.core.text.Sentences;
import dev.groundwork.core.text.Snippets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Answers with a language model over the retrieved chunks.
 *
 * <p>The sources are fitted to the model's context window: the window minus the prompt without
 * sources and the reply's {@code maxTokens} is the budget (capped by {@code contextTokens}), and the
 * lowest-ranked chunks are dropped whole until the rest fits. With no sources at all the answer is the
 * refusal and no model is called. {@code [n]} markers that point at no source are removed and reported.
 * With a JSON Schema the reply is validated; on a mismatch the model is asked once more with the
 * errors, and a second mismatch throws {@link SchemaMismatchException}. Each model call is a priced
 * {@link Step}. Thread-safe if the model is.
 */
public final class GenerativeAnswerer implements Answerer {
  private static final java.util.regex.Pattern CITED = java.util.regex.Pattern.compile("\\[\\d+");
  private final ChatModel model;
  private final PromptTemplate prompt;
  private final String promptVersion; // a hash of the template: computed once, recorded with every answer
  private final PriceTable prices;
  private final int contextTokens;
  private final int maxTokens;
  private final Double temperature;
  private final Long seed;
  private final String schema;
  private final SchemaValidator validator;
  private final boolean logprobs;
  /**
   * Searches the project's documents for the search tool: given the tool call's arguments (JSON, with
   * {@code query}) and the question, the hits; null when the model gets no tool.
   */
  private final java.util.function.BiFunction<String, String, List<ScoredChunk>> search;

  /** The tool a model may call to search the documents again, in its own words, before it answers. */
  public static final ToolSpec SEARCH_TOOL = new ToolSpec("search_documents",
      "Search the project's documents again, in your own words, when the numbered sources do not hold the answer. Call it at most once.",
      "{\"type\": \"object\", \"properties\": {\"query\": {\"type\": \"string\", \"description\": \"what to look for\"}}, \"required\": [\"query\"]}");

  private GenerativeAnswerer(Builder b) {
    this.model = b.model;
    this.prompt = b.prompt;
    this.promptVersion = b.prompt.version();
    this.prices = b.prices;
    this.contextTokens = b.contextTokens;
    this.maxTokens = b.maxTokens;
    this.temperature = b.temperature;
    this.seed = b.seed;
    this.schema = b.schema;
    this.validator = b.validator;
    this.logprobs = b.logprobs;
    this.search = b.search;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return model.name();
  }

  public PromptTemplate prompt() {
    return prompt;
  }

  @Override
  public Answer answer(String question, List<ScoredChunk> retrieved) {
    return answer(question, retrieved, null);
  }

  @Override
  public Answer answer(String question, List<ScoredChunk> retrieved, Consumer<String> onToken) {
    ContextAssembler.Context ctx = fit(question, retrieved);
    if (ctx.sources().isEmpty()) {
      if (onToken != null) onToken.accept(prompt.refusal());
      Generation g = new Generation(promptVersion, model.name(), List.of(), false, List.of(), ctx.droppedChunks(), 0, "no_sources", null);
      return new Answer(prompt.refusal(), List.of(), retrieved, model.name(), Usage.NONE, 0.0, 0, true, 0, List.of(), g);
    }
    List<ChatMessage> messages = new ArrayList<>(prompt.render(question, ctx, schema));
    List<Step> steps = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    ChatResponse r = call(messages, onToken, "generate", steps, failures, search != null);
    ToolCall searched = search == null ? null : r.toolCalls().stream().filter(c -> c.name().equals(SEARCH_TOOL.name())).findFirst().orElse(null);
    if (searched != null) {
      // the model asked to search again: what it finds joins the sources (those already there keep their rank), and it answers
      // from the whole set, numbered afresh; one search per question
      List<ScoredChunk> merged = new ArrayList<>(retrieved);
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (ScoredChunk h : retrieved) seen.add(h.chunk().id());
      for (ScoredChunk h : search.apply(searched.argumentsJson(), question)) if (seen.add(h.chunk().id())) merged.add(h);
      retrieved = merged;
      ctx = fit(question, merged);
      messages = new ArrayList<>(prompt.render(question, ctx, schema));
      r = call(messages, onToken, "search_tool", steps, failures, false);
    }
    if (schema != null) {
      List<String> errors = validator.validate(stripFence(r.text()));
      if (!errors.isEmpty()) {
        messages.add(ChatMessage.assistant(r.text()));
        messages.add(ChatMessage.user("Your reply does not match the JSON Schema: " + String.join("; ", errors)
            + ". Reply again with only the corrected JSON."));
        if (onToken != null) onToken.accept("\n");
        r = call(messages, onToken, "schema_retry", steps, failures);
        errors = validator.validate(stripFence(r.text()));
        if (!errors.isEmpty()) throw new SchemaMismatchException(r.traceOr(model.name()).answeredBy(), errors, r.text());
      }
    }
    String text = schema != null ? stripFence(r.text()) : r.text();
    CitationParser.Result parsed = CitationParser.parse(text, ctx.sources().size());
    boolean refused = schema == null && prompt.isRefusal(parsed.text());
    List<Citation> cites = new ArrayList<>();
    if (!refused) {
      for (int n : parsed.cited()) {
        Chunk c = ctx.sources().get(n - 1).hit().chunk();
        cites.add(new Citation(n, c.source(), c.id(), c.heading(), c.page(), snippet(c.text())));
      }
    }
    ChatResponse.Trace t = r.traceOr(model.name());
    Generation g = new Generation(promptVersion, t.answeredBy(), failures, t.fallback(), parsed.invalid(), ctx.droppedChunks(),
        ctx.tokens(), r.finishReason(), r.meanLogprob());
    long in = 0, out = 0;
    for (Step s : steps) {
      in += s.usage().inputTokens();
      out += s.usage().outputTokens();
    }
    return new Answer(parsed.text(), cites, retrieved, t.answeredBy(), new Usage(in, out, 0), Step.total(steps), 0, refused,
        refused ? 0 : citedShare(parsed.text()), steps, g);
  }

  private ChatResponse call(List<ChatMessage> messages, Consumer<String> onToken, String stepName, List<Step> steps, List<String> failures) {
    return call(messages, onToken, stepName, steps, failures, false);
  }

  private ChatResponse call(List<ChatMessage> messages, Consumer<String> onToken, String stepName, List<Step> steps, List<String> failures,
      boolean withTools) {
    ChatRequest req = new ChatRequest(messages, temperature, maxTokens, withTools ? List.of(SEARCH_TOOL) : List.of(), schema, seed, logprobs);
    ChatResponse r = onToken == null ? model.chat(req) : model.stream(req, onToken);
    ChatResponse.Trace t = r.traceOr(model.name());
    failures.addAll(t.failures());
    TokenUsage u = r.usage();
    // a cached reply was not billed: its usage is zero and so is its cost, whatever the model's price
    steps.add(new Step(stepName, t.answeredBy(), u, t.cached() ? Double.valueOf(0) : prices.cost(t.answeredBy(), u), t.attempts(), t.cached()));
    return r;
  }

  /** Sources that fit the context window, best ranked first. */
  ContextAssembler.Context fit(String question, List<ScoredChunk> retrieved) {
    int overhead = 0;
    for (ChatMessage m : prompt.render(question, new ContextAssembler.Context(List.of(), 0, 0), schema)) {
      overhead += model.countTokens(m.content()) + 4; // + the role's framing tokens
    }
    int room = model.contextWindow() - overhead - maxTokens;
    if (room <= 0) {
      throw new ModelException(model.name(), ModelException.Kind.CONTEXT_LENGTH_EXCEEDED, "the prompt without sources (" + overhead
          + " tokens) plus the reply limit (" + maxTokens + ") does not fit the context window (" + model.contextWindow() + ")");
    }
    return new ContextAssembler(Math.min(room, contextTokens), model::countTokens, true).assemble(retrieved);
  }

  /** The share of answer sentences that carry at least one citation. */
  static double citedShare(String text) {
    var sentences = Sentences.split(text);
    if (sentences.isEmpty()) return 0;
    int cited = 0;
    for (var s : sentences) if (CITED.matcher(text.substring(s.start(), s.end())).find()) cited++;
    return (double) cited / sentences.size();
  }

  /** The JSON inside a Markdown code fence, which many models add despite being told not to. */
  public static String stripFence(String s) {
    String t = s.strip();
    if (t.startsWith("```")) {
      int nl = t.indexOf('\n');
      int end = t.lastIndexOf("```");
      if (nl > 0 && end > nl) return t.substring(nl + 1, end).strip();
    }
    return t;
  }

  private static String snippet(String text) {
    return Snippets.oneLine(text, 300);
  }

  /** Validates in {@link #build()}, naming the bad parameter. */
  public static final class Builder {
    private ChatModel model;
    private PromptTemplate prompt = PromptTemplate.defaults();
    private PriceTable prices = PriceTable.DEFAULTS;
    private int contextTokens = 3000;
    private int maxTokens = 1024;
    private Double temperature = 0.0;
    private Long seed;
    private String schema;
    private SchemaValidator validator;
    private boolean logprobs;
    private java.util.function.BiFunction<String, String, List<ScoredChunk>> search;

    /**
     * Offers the model {@link #SEARCH_TOOL}, answered by {@code s} (the call's arguments JSON and the
     * question, to hits); null: no tool.
     */
    public Builder searchTool(java.util.function.BiFunction<String, String, List<ScoredChunk>> s) {
      this.search = s;
      return this;
    }

    public Builder model(ChatModel m) {
      this.model = m;
      return this;
    }

    public Builder prompt(PromptTemplate p) {
      this.prompt = p;
      return this;
    }

    public Builder prices(PriceTable p) {
      this.prices = p;
      return this;
    }

    /** The most tokens of sources to send, even when the context window allows more. */
    public Builder contextTokens(int n) {
      this.contextTokens = n;
      return this;
    }

    /** The reply's token limit, reserved in the context window. */
    public Builder maxTokens(int n) {
      this.maxTokens = n;
      return this;
    }

    /** 0..2; null for the provider's default. */
    public Builder temperature(Double t) {
      this.temperature = t;
      return this;
    }

    public Builder seed(Long s) {
      this.seed = s;
      return this;
    }

    /** A JSON Schema the reply must match, and its validator. */
    public Builder schema(String jsonSchema, SchemaValidator v) {
      this.schema = jsonSchema;
      this.validator = v;
      return this;
    }

    /** Ask for the reply's token log-probabilities (a cascade's confidence check reads their mean from the answer). */
    public Builder logprobs(boolean on) {
      this.logprobs = on;
      return this;
    }

    public GenerativeAnswerer build() {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(prompt, "prompt");
      Objects.requireNonNull(prices, "prices");
      if (contextTokens < 1) throw new IllegalArgumentException("contextTokens must be >= 1, got " + contextTokens);
      if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
      if (temperature != null && (temperature < 0 || temperature > 2)) throw new IllegalArgumentException("temperature must be in 0..2, got " + temperature);
      if (schema != null && validator == null) throw new IllegalArgumentException("a schema needs a validator");
      return new GenerativeAnswerer(this);
    }
  }
}
