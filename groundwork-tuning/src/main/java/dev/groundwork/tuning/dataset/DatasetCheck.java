package dev.groundwork.tuning.dataset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * The checks to run on a dataset before paying for training: well-formed chats, token counts and
 * lengths for the target, duplicates, contamination with the regression suite, personal data and
 * secrets, the share of refusals and the number of examples, and a preflight of the training bill.
 * A failed check fails the whole report; warnings (near duplicates, a small dataset) do not.
 */
public final class DatasetCheck {
  /** One check: whether it passed, how many examples it concerns, a few of their ids, and what it found. */
  public record Check(String name, boolean passed, int count, List<String> examples, String message) {
    public Check {
      examples = List.copyOf(examples.subList(0, Math.min(10, examples.size())));
    }
  }

  /**
   * The model to train: how it counts tokens, whether that count is exact, its context window, and
   * its training price.
   *
   * @param tokenizer how the count was made, e.g. "jtokkit o200k (exact)" or "word pieces (an estimate)"
   */
  public record Target(String name, ToIntFunction<String> tokens, boolean exact, String tokenizer, int contextWindow, TrainingPrice price) {}

  /**
   * What training costs: USD per 1M training tokens, the provider's default number of epochs, and the
   * date these figures were published (so a reader knows how old they are).
   */
  public record TrainingPrice(double usdPerMillion, int defaultEpochs, String asOf) {}

  /** The bill before training: tokens per epoch, epochs, billed tokens and USD (null price: unknown). */
  public record Preflight(String target, long tokens, int epochs, long billedTokens, Double usd, boolean exact, String tokenizer, String priceAsOf) {}

  public record Report(boolean passed, int examples, List<Check> checks, Map<String, Integer> pii, List<String> contaminated, List<Preflight> preflight) {}

  /** A dataset usually needs this many examples for a narrow task. */
  public static final int ENOUGH_MIN = 500, ENOUGH_MAX = 5000;
  static final Set<String> ROLES = Set.of("system", "user", "assistant");
  /** Tokens each message adds around its content in chat formats. */
  static final int MESSAGE_OVERHEAD = 4;

  private DatasetCheck() {}

  /**
   * @param suiteQuestions the regression suite's questions, by case id: an example asking one of
   *     them, exactly or nearly ({@link NearDuplicates}), contaminates the gate
   * @param isRefusal whether an answer is the project's refusal
   * @param epochs the epochs to bill, or null for each target's default
   */
  public static Report run(DatasetFile.Read read, Map<String, String> suiteQuestions, Pii pii, java.util.function.Predicate<String> isRefusal,
      List<Target> targets, Integer epochs) {
    List<Example> ex = read.examples();
    List<Check> checks = new ArrayList<>();

    List<String> bad = new ArrayList<>();
    for (DatasetFile.Problem p : read.problems()) bad.add("line " + p.line() + ": " + p.message());
    for (Example e : ex) {
      String why = formatProblem(e);
      if (why != null) bad.add(e.id() + ": " + why);
    }
    checks.add(new Check("format", bad.isEmpty(), bad.size(), bad, bad.isEmpty() ? "every line is a chat ending in an assistant reply" : bad.get(0)));

    Map<String, Integer> seenIds = new HashMap<>();
    List<String> dupIds = new ArrayList<>();
    for (Example e : ex) if (seenIds.merge(e.id(), 1, Integer::sum) == 2) dupIds.add(e.id());
    Map<String, String> exact = new HashMap<>();
    List<String> exactDup = new ArrayList<>();
    for (Example e : ex) {
      String key = NearDuplicates.normalise(e.prompt()) + "\u0000" + NearDuplicates.normalise(e.completion());
      if (exact.putIfAbsent(key, e.id()) != null) exactDup.add(e.id());
    }
    exactDup.addAll(0, dupIds);
    checks.add(new Check("duplicates", exactDup.isEmpty(), exactDup.size(), exactDup,
        exactDup.isEmpty() ? "no example appears twice" : exactDup.size() + " examples repeat an earlier one (same id, or the same prompt and reply)"));

    List<String> questions = ex.stream().map(Example::question).toList();
    List<String> near = new ArrayList<>();
    for (NearDuplicates.Pair p : NearDuplicates.find(questions, null)) near.add(ex.get(p.right()).id());
    near = near.stream().distinct().toList();
    checks.add(new Check("near-duplicates", true, near.size(), near, near.isEmpty() ? "no two questions are nearly the same"
        : near.size() + " questions are nearly the same as an earlier one (word-trigram Jaccard >= " + NearDuplicates.THRESHOLD + "); a warning"));

    List<String> suiteIds = new ArrayList<>(suiteQuestions.keySet());
    List<String> suiteTexts = suiteIds.stream().map(suiteQuestions::get).toList();
    Map<String, String> contaminated = new LinkedHashMap<>();
    for (NearDuplicates.Pair p : NearDuplicates.find(questions, suiteTexts)) contaminated.putIfAbsent(ex.get(p.left()).id(), suiteIds.get(p.right()));
    for (int i = 0; i < ex.size(); i++) {
      Object caseId = ex.get(i).metadata().get("case_id");
      if (caseId != null && suiteQuestions.containsKey(String.valueOf(caseId))) contaminated.putIfAbsent(ex.get(i).id(), String.valueOf(caseId));
    }
    checks.add(new Check("contamination", contaminated.isEmpty(), contaminated.size(), new ArrayList<>(contaminated.keySet()), contaminated.isEmpty()
        ? "no example asks a question of the regression suite (" + suiteQuestions.size() + " cases)"
        : contaminated.size() + " examples ask a suite question (e.g. " + contaminated.entrySet().iterator().next() + "): the gate would test on training data"));

    Map<String, Integer> piiCounts = new TreeMap<>();
    List<String> piiIds = new ArrayList<>();
    for (Example e : ex) {
      boolean any = false;
      for (Example.Message m : e.messages()) {
        if (m.role().equals("system")) continue;
        for (Pii.Match x : pii.find(m.content())) {
          piiCounts.merge(x.kind(), 1, Integer::sum);
          any = true;
        }
      }
      if (any) piiIds.add(e.id());
    }
    checks.add(new Check("pii", piiIds.isEmpty(), piiIds.size(), piiIds,
        piiIds.isEmpty() ? "no personal data or secrets found" : "found " + piiCounts + "; scrub them with --scrub"));

    long refusals = ex.stream().filter(e -> isRefusal.test(e.completion())).count();
    checks.add(new Check("refusals", true, (int) refusals, List.of(), String.format(java.util.Locale.ROOT, "%.1f%% of the replies are refusals",
        ex.isEmpty() ? 0.0 : 100.0 * refusals / ex.size())));
    checks.add(new Check("size", !ex.isEmpty(), ex.size(), List.of(), ex.isEmpty() ? "the dataset is empty"
        : ex.size() < ENOUGH_MIN ? ex.size() + " examples; a narrow task usually needs " + ENOUGH_MIN + " to " + ENOUGH_MAX + " (a warning)"
        : ex.size() + " examples (" + ENOUGH_MIN + " to " + ENOUGH_MAX + " is the usual range)"));

    List<Preflight> pre = new ArrayList<>();
    for (Target t : targets) {
      long total = 0;
      List<String> tooLong = new ArrayList<>();
      for (Example e : ex) {
        long n = 0;
        for (Example.Message m : e.messages()) n += t.tokens().applyAsInt(m.content()) + MESSAGE_OVERHEAD;
        total += n;
        if (n > t.contextWindow()) tooLong.add(e.id());
      }
      checks.add(new Check("length:" + t.name(), tooLong.isEmpty(), tooLong.size(), tooLong, tooLong.isEmpty()
          ? "every example fits " + t.name() + "'s " + t.contextWindow() + " tokens (" + t.tokenizer() + ")"
          : tooLong.size() + " examples are longer than " + t.name() + "'s " + t.contextWindow() + " tokens"));
      int ep = epochs != null ? epochs : t.price() == null ? 1 : t.price().defaultEpochs();
      long billed = total * ep;
      pre.add(new Preflight(t.name(), total, ep, billed, t.price() == null ? null : billed * t.price().usdPerMillion() / 1e6, t.exact(), t.tokenizer(),
          t.price() == null ? null : t.price().asOf()));
    }
    boolean passed = checks.stream().allMatch(Check::passed);
    return new Report(passed, ex.size(), checks, piiCounts, new ArrayList<>(contaminated.keySet()), pre);
  }

  /** Why {@code e} is not a well-formed training chat, or null. */
  static String formatProblem(Example e) {
    if (e.messages().isEmpty()) return "no messages";
    for (Example.Message m : e.messages()) {
      if (!ROLES.contains(m.role())) return "unknown role '" + m.role() + "' (system, user or assistant)";
      if (m.content().isBlank()) return "an empty " + m.role() + " message";
    }
    if (e.messages().stream().noneMatch(m -> m.role().equals("user"))) return "no user message";
    if (!e.messages().get(e.messages().size() - 1).role().equals("assistant")) return "the last message is not the assistant's reply";
    if (e.rejected() != null && e.rejected().isBlank()) return "an empty rejected reply";
    return null;
  }

  /** {@code read}'s examples with personal data and secrets replaced by {@code [KIND]} (system prompts left as they are). */
  public static List<Example> scrub(List<Example> examples, Pii pii) {
    List<Example> out = new ArrayList<>();
    for (Example e : examples) {
      List<Example.Message> msgs = new ArrayList<>();
      for (Example.Message m : e.messages()) msgs.add(m.role().equals("system") ? m : new Example.Message(m.role(), pii.scrub(m.content())));
      Map<String, Object> meta = new LinkedHashMap<>(e.metadata());
      if (meta.get("question") instanceof String q) meta.put("question", pii.scrub(q));
      out.add(new Example(e.id(), e.task(), msgs, meta, e.rejected() == null ? null : pii.scrub(e.rejected())));
    }
    return out;
  }
}
