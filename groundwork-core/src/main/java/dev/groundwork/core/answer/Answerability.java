package dev.groundwork.core.answer;

import dev.groundwork.core.learn.LogisticRegression;
import dev.groundwork.core.text.Terms;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Does the evidence cover what the question specifically asks? A lexical check of one (question,
 * evidence sentence, its passage) triple, for questions written to look answerable from a passage that
 * does not answer them: a swapped entity, an added negation, an opposite, a changed number, a missing
 * constraint.
 *
 * <p>It computes {@link #FEATURES} (which question words the sentence and passage lack, weighted by
 * IDF; capitalised names and numbers the evidence lacks; a negation or an opposite the evidence does
 * not share; an answer type the sentence lacks: a date for "when", a number for "how many") and
 * combines them with a logistic model into a score in [0, 1]: the estimated chance that the sentence
 * answers the question. The shipped model ({@link #standard}) was fitted by {@code groundwork bench
 * squad --fit-answerability} on three SQuAD 2.0 articles (see its header). Thread-safe.
 */
public final class Answerability {
  /** The features, in the order a model's weights use. */
  public static final List<String> FEATURES = List.of(
      "miss_sentence", "max_miss_sentence", "names_miss_sentence", "names_miss_passage", "numbers_miss_passage",
      "negation_unmatched", "negation", "opposite", "answer_type_absent", "bigram_share");

  private static final String RESOURCE = "answerability.model";
  private static final Pattern TOKEN = Pattern.compile("\\p{N}+(?:[.,]\\p{N}+)*|[\\p{L}\\p{N}]+(?:['’][\\p{L}]+)?");
  /** Words that only name the kind of answer wanted: "how long" asks for a duration, the answer does not say "long". */
  private static final Pattern ANSWER_TYPE = Pattern.compile(
      "(?i)\\b(how|what|which)\\s+(long|big|large|far|old|often|much|many|size|format|range|kind|type|sort|number|amount)\\b");
  private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "neither", "nor", "none", "nothing", "without", "cannot");
  private static final Map<String, String> OPPOSITES = opposites(
      "most least", "first last", "largest smallest", "biggest smallest", "highest lowest", "higher lower", "increase decrease",
      "increased decreased", "begin end", "early late", "earliest latest", "more less", "more fewer", "major minor",
      "best worst", "win lose", "won lost", "start stop", "rise fall", "north south", "east west", "old new", "oldest newest",
      "positive negative", "large small", "larger smaller", "allow prohibit", "allowed prohibited", "accept reject", "accepted rejected",
      "include exclude", "strong weak", "stronger weaker", "maximum minimum", "longest shortest", "longer shorter", "above below",
      "success failure", "successful unsuccessful", "public private", "modern ancient", "internal external", "legal illegal",
      "possible impossible", "upper lower", "inner outer", "import export", "imports exports", "gain loss", "always never");
  private static final Pattern WHEN = Pattern.compile("(?i)^\\s*when\\b|\\b(what|which) (year|date|decade|century|month|day)\\b|\\bhow long ago\\b");
  private static final Pattern HOW_MANY = Pattern.compile("(?i)\\bhow (many|much|long|often|far|old|large|big)\\b|\\b(what|which) (percentage|percent|number|amount)\\b");
  private static final Pattern WHO = Pattern.compile("(?i)^\\s*(who|whom|whose)\\b");
  private static final Pattern DATE = Pattern.compile(
      "\\d|(?i)\\b(january|february|march|april|may|june|july|august|september|october|november|december|century|centuries|decade|year|years|age|era|period|dynasty|war|reign|spring|summer|autumn|winter|today|recently|ago|later|earlier|then)\\b");
  private static final Pattern QUANTITY = Pattern.compile(
      "\\d|(?i)\\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|dozen|half|third|quarter|several|many|few|percent|majority|minority|all|most)\\b");

  /** The outcome for one question and its evidence. */
  public record Check(double score, List<String> uncovered) {
    /** A sentence for a refusal: what of the question the evidence lacks. */
    public String explanation() {
      if (uncovered.isEmpty()) return "The closest passage does not clearly answer what the question asks.";
      return "The closest passage does not cover the question's " + String.join(", ", uncovered) + ".";
    }
  }

  private final LogisticRegression.Model model;
  private final ToDoubleFunction<String> documentFrequency;

  /**
   * @param documentFrequency fraction of indexed chunks holding a (surface) term, 0 when none
   */
  public Answerability(LogisticRegression.Model model, ToDoubleFunction<String> documentFrequency) {
    this.model = Objects.requireNonNull(model);
    this.documentFrequency = Objects.requireNonNull(documentFrequency);
    if (!model.names().equals(FEATURES)) {
      throw new IllegalArgumentException("answerability model: expected features " + FEATURES + ", got " + model.names());
    }
  }

  /** The shipped model. */
  public static Answerability standard(ToDoubleFunction<String> documentFrequency) {
    return new Answerability(standardModel(), documentFrequency);
  }

  public static LogisticRegression.Model standardModel() {
    try (InputStream in = Answerability.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("the answerability model resource is missing from the groundwork-core jar");
      return LogisticRegression.Model.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public LogisticRegression.Model model() {
    return model;
  }

  /**
   * @param sentence the sentence the answer would quote
   * @param context what the sentence sits under (document title, section headings): a question's
   *     "Tidewater 3.0" may be named only in the heading of the release notes that answer it
   * @param passage the text around it (its chunk, with title and headings)
   */
  public Check check(String question, String sentence, String context, String passage) {
    Analysis a = analyse(question, sentence + "\n" + context, passage);
    return new Check(model.probability(a.features), a.uncovered);
  }

  /** The feature row, in {@link #FEATURES} order: what a model is fitted on. */
  public double[] features(String question, String sentence, String context, String passage) {
    return analyse(question, sentence + "\n" + context, passage).features;
  }

  private record Analysis(double[] features, List<String> uncovered) {}

  private Analysis analyse(String question, String sentence, String passage) {
    Map<String, Double> idf = new LinkedHashMap<>();
    Map<String, String> surfaceOf = new HashMap<>();
    for (String w : Terms.surface(ANSWER_TYPE.matcher(question).replaceAll("$1"))) {
      String st = Terms.stem(w);
      idf.merge(st, Math.log(1 + 1 / Math.max(documentFrequency.applyAsDouble(w), 0.002)), Math::max);
      surfaceOf.putIfAbsent(st, w);
    }
    Set<String> s = new HashSet<>(Terms.of(sentence));
    Set<String> p = new HashSet<>(Terms.of(passage));
    p.addAll(s);
    double total = 0, missS = 0, maxMissS = 0;
    List<Map.Entry<String, Double>> missingFromSentence = new ArrayList<>();
    for (Map.Entry<String, Double> e : idf.entrySet()) {
      total += e.getValue();
      if (!s.contains(e.getKey())) {
        missS += e.getValue();
        maxMissS = Math.max(maxMissS, e.getValue());
        missingFromSentence.add(e);
      }
    }
    List<String> qTokens = tokens(question);
    List<String> sTokensLower = lower(tokens(sentence));
    List<String> pTokensLower = lower(tokens(passage));
    Set<String> sLower = new HashSet<>(sTokensLower);
    Set<String> pLower = new HashSet<>(pTokensLower);
    pLower.addAll(sLower);
    List<String> uncovered = new ArrayList<>();
    int namesMissS = 0, namesMissP = 0, numbersMissP = 0, opposite = 0;
    boolean qNeg = false;
    for (int i = 0; i < qTokens.size(); i++) {
      String t = qTokens.get(i);
      String l = t.toLowerCase(Locale.ROOT);
      if (NEGATIONS.contains(l) || l.endsWith("n't")) qNeg = true;
      if (i > 0 && Character.isUpperCase(t.charAt(0)) && !Terms.STOP_WORDS.contains(l)) {
        String st = Terms.stem(l.replaceAll("['’]s$", ""));
        if (!s.contains(st)) namesMissS++;
        if (!p.contains(st)) {
          namesMissP++;
          addOnce(uncovered, "\"" + t + "\"");
        }
      }
      if (Character.isDigit(t.charAt(0)) && !numberIn(l, pLower)) {
        numbersMissP++;
        addOnce(uncovered, "\"" + t + "\"");
      }
      String opp = OPPOSITES.get(l);
      if (opp != null && !sLower.contains(l) && sLower.contains(opp)) {
        opposite++;
        addOnce(uncovered, "\"" + t + "\" (the passage says \"" + opp + "\")");
      }
    }
    boolean sNeg = sTokensLower.stream().anyMatch(l -> NEGATIONS.contains(l) || l.endsWith("n't"));
    if (qNeg && !sNeg) uncovered.add("negation");
    boolean typeAbsent = false;
    if (WHEN.matcher(question).find() && !DATE.matcher(sentence).find()) {
      typeAbsent = true;
      uncovered.add("time (it asks when)");
    } else if (HOW_MANY.matcher(question).find() && !QUANTITY.matcher(sentence).find()) {
      typeAbsent = true;
      uncovered.add("quantity (it asks how many or how much)");
    } else if (WHO.matcher(question).find() && !namesBeyond(tokens(sentence), qTokens)) {
      typeAbsent = true;
      uncovered.add("person or organisation (it asks who)");
    }
    missingFromSentence.sort(Map.Entry.<String, Double>comparingByValue().reversed());
    for (Map.Entry<String, Double> e : missingFromSentence) {
      if (uncovered.size() >= 4) break;
      addOnce(uncovered, "\"" + surfaceOf.get(e.getKey()) + "\"");
    }
    List<String> sStems = Terms.of(sentence);
    Set<String> sBigrams = new HashSet<>();
    for (int i = 1; i < sStems.size(); i++) sBigrams.add(sStems.get(i - 1) + " " + sStems.get(i));
    int bigrams = 0, bigramHits = 0;
    List<String> qOrdered = Terms.of(ANSWER_TYPE.matcher(question).replaceAll("$1"));
    for (int i = 1; i < qOrdered.size(); i++) {
      bigrams++;
      if (sBigrams.contains(qOrdered.get(i - 1) + " " + qOrdered.get(i))) bigramHits++;
    }
    double t = total > 0 ? total : 1;
    double[] f = {
        missS / t, maxMissS, namesMissS, namesMissP, numbersMissP, qNeg && !sNeg ? 1 : 0, qNeg ? 1 : 0, opposite, typeAbsent ? 1 : 0,
        bigrams == 0 ? 0 : (double) bigramHits / bigrams};
    return new Analysis(f, List.copyOf(uncovered));
  }

  /** "3" and "3.0" are in a passage that says "3.0.0"; "3.x" asks about any 3 release. */
  private static boolean numberIn(String n, Set<String> tokens) {
    for (String t : tokens) {
      if (t.equals(n) || t.startsWith(n + ".") || t.startsWith(n + ",")) return true;
    }
    return false;
  }

  private static boolean namesBeyond(List<String> sentence, List<String> question) {
    Set<String> q = new HashSet<>(lower(question));
    for (int i = 1; i < sentence.size(); i++) {
      String t = sentence.get(i);
      if (Character.isUpperCase(t.charAt(0)) && !q.contains(t.toLowerCase(Locale.ROOT))) return true;
    }
    return !sentence.isEmpty() && Character.isUpperCase(sentence.get(0).charAt(0))
        && !Terms.STOP_WORDS.contains(sentence.get(0).toLowerCase(Locale.ROOT)) && !q.contains(sentence.get(0).toLowerCase(Locale.ROOT));
  }

  private static void addOnce(List<String> list, String item) {
    for (String have : list) if (have.equalsIgnoreCase(item) || have.toLowerCase(Locale.ROOT).startsWith(item.toLowerCase(Locale.ROOT) + " ")) return;
    list.add(item);
  }

  private static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) out.add(m.group());
    return out;
  }

  private static List<String> lower(List<String> tokens) {
    List<String> out = new ArrayList<>(tokens.size());
    for (String t : tokens) out.add(t.toLowerCase(Locale.ROOT));
    return out;
  }

  private static Map<String, String> opposites(String... pairs) {
    Map<String, String> m = new HashMap<>();
    for (String pair : pairs) {
      String[] w = pair.split(" ");
      m.putIfAbsent(w[0], w[1]);
      m.putIfAbsent(w[1], w[0]);
    }
    return Map.copyOf(m);
  }
}
