package dev.groundwork.core.retrieve;

import dev.groundwork.core.QueryRewrite;
import dev.groundwork.core.text.Terms;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline rule that turns a follow-up question into a standalone query: "and how long is it
 * kept?" after "What happens to dead jobs?" becomes "how long is it kept? dead jobs". A follow-up
 * depends on earlier turns when it refers back (it, they, this, those, there, ...), opens with a
 * continuation (and, also, what about, ...), or has two content words or fewer; then the content
 * words of the previous user question (itself made standalone first) that the follow-up lacks are
 * added. A question that stands on its own is left as it is. Pure and thread-safe.
 */
public final class FollowUps {
  /** One message of a conversation: {@code user}, {@code assistant} or {@code system}. */
  public record Turn(String role, String content) {}

  private static final Set<String> REFERS_BACK = Set.of("it", "its", "it's", "they", "them", "their", "theirs", "this", "that", "these", "those",
      "there", "he", "she", "him", "her", "his", "hers", "one", "ones", "same", "former", "latter", "such");

  private static final Pattern CONTINUATION = Pattern.compile("^\\s*(?:(?:and|also|so|but|or|then|ok|okay)\\b[,\\s]*)+", Pattern.CASE_INSENSITIVE);

  private static final Pattern WHAT_ABOUT = Pattern.compile("^\\s*(?:and\\s+)?(?:what|how)\\s+about\\b", Pattern.CASE_INSENSITIVE);

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");

  private FollowUps() {}

  /** The standalone query for {@code followUp}, given the turns before it (oldest first). */
  public static QueryRewrite byRule(List<Turn> earlier, String followUp) {
    String topic = null;
    for (Turn t : earlier) {
      if (!"user".equals(t.role()) || t.content() == null || t.content().isBlank()) continue;
      topic = topic == null ? t.content().strip() : standalone(topic, t.content().strip());
    }
    String query = topic == null ? followUp : standalone(topic, followUp);
    return new QueryRewrite(followUp, query, query.equals(followUp) ? "none" : "rule", null);
  }

  /** Whether {@code question} leans on earlier turns. */
  public static boolean dependsOnEarlierTurns(String question) {
    if (CONTINUATION.matcher(question).find() || WHAT_ABOUT.matcher(question).find()) return true;
    Matcher m = WORD.matcher(question.toLowerCase(Locale.ROOT));
    while (m.find()) if (REFERS_BACK.contains(m.group())) return true;
    return Terms.surface(question).size() <= 2;
  }

  private static String standalone(String previous, String followUp) {
    if (!dependsOnEarlierTurns(followUp)) return followUp;
    String stripped = CONTINUATION.matcher(followUp).replaceFirst("").strip();
    if (stripped.isEmpty()) stripped = followUp.strip();
    Set<String> have = new LinkedHashSet<>(Terms.of(stripped));
    List<String> missing = new ArrayList<>();
    Set<String> added = new LinkedHashSet<>();
    for (String w : Terms.surface(previous)) {
      String s = Terms.stem(w);
      if (!have.contains(s) && added.add(s)) missing.add(w);
    }
    return missing.isEmpty() ? stripped : stripped + " " + String.join(" ", missing);
  }
}
