package dev.groundwork.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cheap features of a prompt, as a sparse vector: hashed words and word pairs weighted by TF-IDF
 * (the IDF learned from the training prompts) and normalised to length 1; a dozen shape features
 * (length, how many numbers, sentences, percentages, fractions...) standardised on the training
 * prompts, clipped at three standard deviations and scaled by {@code shapeWeight}; and, optionally, the prompt's category as a one-hot.
 * Fitted on training prompts only; applies to any prompt.
 */
public final class PromptFeatures {
  /** Hashed vocabulary size (2^15): collisions cost little at a few thousand distinct words. */
  static final int BUCKETS = 1 << 15;

  static final String[] SHAPES = {"log_chars", "numbers", "sentences", "percent", "dollar", "fractions", "decimals", "longest_number",
      "distinct_numbers", "multiplier_words", "log_words", "lines"};

  private static final Pattern TOKEN = Pattern.compile("[a-z]+|\\d+");
  private static final Pattern NUMBER = Pattern.compile("\\d[\\d,]*\\.?\\d*");
  private static final Pattern SENTENCE_END = Pattern.compile("[.?!](\\s|$)");
  private static final Pattern FRACTION = Pattern.compile("\\d+/\\d+");
  private static final Pattern DECIMAL = Pattern.compile("\\d\\.\\d");
  private static final Pattern MULTIPLIER = Pattern.compile("\\b(half|twice|third|quarter|double|triple|percent)\\b");

  /** A sparse row: feature indices (increasing) and values. */
  public record Row(int[] index, float[] value) {}

  private final float[] idf;
  private final double[] shapeMean;
  private final double[] shapeSd;
  private final double shapeWeight;
  private final Map<String, Integer> categories; // null: categories not used

  private PromptFeatures(float[] idf, double[] shapeMean, double[] shapeSd, double shapeWeight, Map<String, Integer> categories) {
    this.idf = idf;
    this.shapeMean = shapeMean;
    this.shapeSd = shapeSd;
    this.shapeWeight = shapeWeight;
    this.categories = categories;
  }

  /** Learns the IDF, the shape statistics and the categories from training prompts. */
  public static PromptFeatures fit(List<String> prompts, List<String> categoriesOrNull, double shapeWeight) {
    int[] df = new int[BUCKETS];
    double[][] shapes = new double[prompts.size()][];
    for (int i = 0; i < prompts.size(); i++) {
      for (int b : buckets(prompts.get(i)).keySet()) df[b]++;
      shapes[i] = shape(prompts.get(i));
    }
    int n = prompts.size();
    float[] idf = new float[BUCKETS];
    for (int b = 0; b < BUCKETS; b++) idf[b] = df[b] == 0 ? 0 : (float) (Math.log((n + 1.0) / (df[b] + 1.0)) + 1);
    double[] mean = new double[SHAPES.length], sd = new double[SHAPES.length];
    for (double[] s : shapes) for (int k = 0; k < s.length; k++) mean[k] += s[k] / n;
    for (double[] s : shapes) for (int k = 0; k < s.length; k++) sd[k] += (s[k] - mean[k]) * (s[k] - mean[k]) / n;
    for (int k = 0; k < sd.length; k++) sd[k] = Math.sqrt(sd[k]) + 1e-9;
    Map<String, Integer> cats = null;
    if (categoriesOrNull != null) {
      cats = new TreeMap<>();
      for (String c : categoriesOrNull) cats.putIfAbsent(c, 0);
      int k = 0;
      for (var e : cats.entrySet()) e.setValue(k++);
    }
    return new PromptFeatures(idf, mean, sd, shapeWeight, cats);
  }

  /** The fitted statistics, for a file: non-zero IDF buckets, shape statistics, categories. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    List<double[]> idfs = new ArrayList<>();
    for (int b = 0; b < BUCKETS; b++) if (idf[b] != 0) idfs.add(new double[] {b, idf[b]});
    m.put("buckets", BUCKETS);
    m.put("idf", idfs);
    m.put("shape_mean", shapeMean);
    m.put("shape_sd", shapeSd);
    m.put("shape_weight", shapeWeight);
    m.put("categories", categories == null ? null : new ArrayList<>(categories.keySet()));
    return m;
  }

  /** Reads what {@link #toJson()} wrote. */
  public static PromptFeatures fromJson(com.fasterxml.jackson.databind.JsonNode n) {
    if (n.path("buckets").asInt() != BUCKETS) throw new IllegalArgumentException("features: expected " + BUCKETS + " buckets, got " + n.path("buckets"));
    float[] idf = new float[BUCKETS];
    for (var pair : n.path("idf")) idf[pair.get(0).asInt()] = (float) pair.get(1).asDouble();
    double[] mean = doubles(n.path("shape_mean")), sd = doubles(n.path("shape_sd"));
    if (mean.length != SHAPES.length || sd.length != SHAPES.length) throw new IllegalArgumentException("features: expected " + SHAPES.length + " shape statistics");
    Map<String, Integer> cats = null;
    if (n.path("categories").isArray()) {
      cats = new TreeMap<>();
      int k = 0;
      for (var c : n.path("categories")) cats.put(c.asText(), k++);
    }
    return new PromptFeatures(idf, mean, sd, n.path("shape_weight").asDouble(), cats);
  }

  private static double[] doubles(com.fasterxml.jackson.databind.JsonNode a) {
    double[] d = new double[a.size()];
    for (int i = 0; i < d.length; i++) d[i] = a.get(i).asDouble();
    return d;
  }

  /** The number of features a row can have. */
  public int dimension() {
    return BUCKETS + SHAPES.length + (categories == null ? 0 : categories.size()) + 1;
  }

  /** The features of one prompt ({@code category} is ignored when categories are not used). */
  public Row row(String prompt, String category) {
    Map<Integer, Integer> counts = buckets(prompt);
    TreeMap<Integer, Float> v = new TreeMap<>();
    double norm = 0;
    for (var e : counts.entrySet()) {
      float w = (float) ((1 + Math.log(e.getValue())) * idf[e.getKey()]);
      if (w == 0) continue;
      v.put(e.getKey(), w);
      norm += (double) w * w;
    }
    if (norm > 0) {
      float inv = (float) (1 / Math.sqrt(norm));
      v.replaceAll((k, w) -> w * inv);
    }
    double[] s = shape(prompt);
    // clipped at 3 standard deviations: a prompt unlike any in training (far shorter, say) must not get an extreme score
    for (int k = 0; k < s.length; k++) v.put(BUCKETS + k, (float) (shapeWeight * Math.max(-3, Math.min(3, (s[k] - shapeMean[k]) / shapeSd[k]))));
    int next = BUCKETS + SHAPES.length;
    if (categories != null) {
      Integer c = categories.get(category);
      if (c != null) v.put(next + c, 1f);
      next += categories.size();
    }
    v.put(next, 1f); // bias
    int[] idx = new int[v.size()];
    float[] val = new float[v.size()];
    int i = 0;
    for (var e : v.entrySet()) {
      idx[i] = e.getKey();
      val[i++] = e.getValue();
    }
    return new Row(idx, val);
  }

  private static Map<Integer, Integer> buckets(String prompt) {
    Matcher m = TOKEN.matcher(prompt.toLowerCase(Locale.ROOT));
    List<String> words = new ArrayList<>();
    while (m.find()) words.add(m.group());
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < words.size(); i++) {
      counts.merge(bucket(words.get(i)), 1, Integer::sum);
      if (i > 0) counts.merge(bucket(words.get(i - 1) + "_" + words.get(i)), 1, Integer::sum);
    }
    return counts;
  }

  private static int bucket(String s) {
    int h = s.hashCode() * 0x9E3779B1;
    return (h ^ (h >>> 15)) & (BUCKETS - 1);
  }

  static double[] shape(String t) {
    Matcher nm = NUMBER.matcher(t);
    int numbers = 0, longest = 0;
    java.util.Set<String> distinct = new java.util.HashSet<>();
    while (nm.find()) {
      numbers++;
      longest = Math.max(longest, nm.group().length());
      distinct.add(nm.group());
    }
    String lower = t.toLowerCase(Locale.ROOT);
    int words = t.isBlank() ? 0 : t.strip().split("\\s+").length;
    return new double[] {Math.log1p(t.length()), numbers, count(SENTENCE_END, t), count(t, '%'), count(t, '$'), count(FRACTION, t),
        count(DECIMAL, t), longest, distinct.size(), count(MULTIPLIER, lower), Math.log1p(words), count(t, '\n')};
  }

  private static int count(Pattern p, String t) {
    Matcher m = p.matcher(t);
    int n = 0;
    while (m.find()) n++;
    return n;
  }

  private static int count(String t, char c) {
    int n = 0;
    for (int i = 0; i < t.length(); i++) if (t.charAt(i) == c) n++;
    return n;
  }
}
