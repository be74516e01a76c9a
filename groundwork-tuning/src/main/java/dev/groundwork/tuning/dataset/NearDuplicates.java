package dev.groundwork.tuning.dataset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * "Nearly the same text", as the dataset checks define it: two texts whose normalised forms
 * (lower-cased, punctuation dropped, whitespace collapsed) have word-trigram sets (word unigrams for
 * texts under three words) with a Jaccard similarity of at least {@value #THRESHOLD}. Candidates
 * come from MinHash locality-sensitive hashing (128 hashes in 32 bands of 4); each candidate pair
 * is then confirmed with the exact Jaccard, so a reported pair always meets the threshold.
 */
public final class NearDuplicates {
  public static final double THRESHOLD = 0.8;
  static final int HASHES = 128, BANDS = 32, ROWS = HASHES / BANDS;

  private NearDuplicates() {}

  public static String normalise(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\s]", " ").replaceAll("\\s+", " ").strip();
  }

  static Set<String> shingles(String text) {
    String[] w = normalise(text).split(" ");
    Set<String> out = new HashSet<>();
    if (w.length < 3) {
      for (String x : w) if (!x.isEmpty()) out.add(x);
      return out;
    }
    for (int i = 0; i + 2 < w.length; i++) out.add(w[i] + " " + w[i + 1] + " " + w[i + 2]);
    return out;
  }

  public static double jaccard(String a, String b) {
    return jaccard(shingles(a), shingles(b));
  }

  static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) return 1;
    int inter = 0;
    for (String x : a) if (b.contains(x)) inter++;
    return inter / (double) (a.size() + b.size() - inter);
  }

  /** A pair of texts (by index) that are nearly the same, with their Jaccard similarity. */
  public record Pair(int left, int right, double jaccard) {}

  /**
   * Pairs of {@code left} and {@code right} texts that are nearly the same. With {@code right} null,
   * pairs within {@code left} (each once, left index first).
   */
  public static List<Pair> find(List<String> left, List<String> right) {
    boolean self = right == null;
    List<String> r = self ? left : right;
    List<Set<String>> ls = left.stream().map(NearDuplicates::shingles).toList();
    List<Set<String>> rs = self ? ls : r.stream().map(NearDuplicates::shingles).toList();
    Map<String, List<Integer>> buckets = new HashMap<>();
    for (int j = 0; j < rs.size(); j++) for (String key : bandKeys(rs.get(j))) buckets.computeIfAbsent(key, k -> new ArrayList<>()).add(j);
    List<Pair> out = new ArrayList<>();
    for (int i = 0; i < ls.size(); i++) {
      Set<Integer> seen = new HashSet<>();
      for (String key : bandKeys(ls.get(i))) {
        for (int j : buckets.getOrDefault(key, List.of())) {
          if ((self && j <= i) || !seen.add(j)) continue;
          double s = jaccard(ls.get(i), rs.get(j));
          if (s >= THRESHOLD) out.add(new Pair(i, j, s));
        }
      }
    }
    return out;
  }

  private static List<String> bandKeys(Set<String> shingles) {
    int[] min = new int[HASHES];
    java.util.Arrays.fill(min, Integer.MAX_VALUE);
    for (String s : shingles) {
      int h = s.hashCode();
      for (int k = 0; k < HASHES; k++) {
        int x = mix(h, k);
        if (x < min[k]) min[k] = x;
      }
    }
    List<String> keys = new ArrayList<>(BANDS);
    for (int b = 0; b < BANDS; b++) {
      StringBuilder sb = new StringBuilder().append(b).append(':');
      for (int r = 0; r < ROWS; r++) sb.append(min[b * ROWS + r]).append(',');
      keys.add(sb.toString());
    }
    return keys;
  }

  /** The k-th hash function of a shingle's hash: a seeded 32-bit mix (MurmurHash3's finaliser). */
  private static int mix(int h, int k) {
    int x = h ^ (0x9E3779B9 * (k + 1));
    x ^= x >>> 16;
    x *= 0x85EBCA6B;
    x ^= x >>> 13;
    x *= 0xC2B2AE35;
    x ^= x >>> 16;
    return x;
  }
}
