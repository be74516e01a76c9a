package dev.groundwork.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A site's robots.txt, as far as a fetcher of single pages needs it: the group for our user agent
 * (or {@code *}), its {@code Allow} and {@code Disallow} path prefixes, the longest match winning
 * (an {@code Allow} on a tie), {@code *} and {@code $} in patterns as RFC 9309 has them. Immutable.
 */
public final class Robots {
  /** Everything allowed: no robots.txt, or one we could not read as text. */
  public static final Robots ALLOW_ALL = new Robots(List.of());

  private record Rule(boolean allow, String pattern) {}

  private final List<Rule> rules;

  private Robots(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** The rules of {@code text} for {@code agent} (matched case-insensitively), else those for {@code *}. */
  public static Robots parse(String text, String agent) {
    List<Rule> mine = new ArrayList<>(), star = new ArrayList<>();
    boolean forMe = false, forStar = false, inAgents = false, sawMe = false;
    String me = agent.toLowerCase(Locale.ROOT);
    for (String raw : text.split("\r?\n|\r")) {
      String line = raw.replaceAll("#.*", "").strip();
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT), value = line.substring(colon + 1).strip();
      if (key.equals("user-agent")) {
        if (!inAgents) forMe = forStar = false;
        inAgents = true;
        String v = value.toLowerCase(Locale.ROOT);
        if (v.equals("*")) forStar = true;
        else if (!v.isEmpty() && me.contains(v)) forMe = sawMe = true;
        continue;
      }
      inAgents = false;
      if (!key.equals("allow") && !key.equals("disallow")) continue;
      if (value.isEmpty()) continue; // "Disallow:" allows everything
      Rule r = new Rule(key.equals("allow"), value);
      if (forMe) mine.add(r);
      if (forStar) star.add(r);
    }
    return new Robots(sawMe ? mine : star);
  }

  /** Whether {@code path} (with its query) may be fetched. */
  public boolean allows(String path) {
    String p = path.isEmpty() ? "/" : path;
    int best = -1;
    boolean allow = true;
    for (Rule r : rules) {
      if (matches(r.pattern(), p) && (r.pattern().length() > best || (r.pattern().length() == best && r.allow()))) {
        best = r.pattern().length();
        allow = r.allow();
      }
    }
    return allow;
  }

  private static boolean matches(String pattern, String path) {
    boolean anchored = pattern.endsWith("$");
    String pat = anchored ? pattern.substring(0, pattern.length() - 1) : pattern;
    return match(pat, 0, path, 0, anchored);
  }

  private static boolean match(String pat, int i, String s, int j, boolean anchored) {
    while (i < pat.length()) {
      char c = pat.charAt(i);
      if (c == '*') {
        for (int k = j; k <= s.length(); k++) if (match(pat, i + 1, s, k, anchored)) return true;
        return false;
      }
      if (j >= s.length() || s.charAt(j) != c) return false;
      i++;
      j++;
    }
    return !anchored || j == s.length();
  }
}
