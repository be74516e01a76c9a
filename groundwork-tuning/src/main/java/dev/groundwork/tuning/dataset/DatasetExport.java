package dev.groundwork.tuning.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A dataset written for a trainer: {@code train.jsonl} and, with a validation share,
 * {@code validation.jsonl}, split by a seeded shuffle. The chat formats are the ones these trainers
 * read as {@code {"messages": [{"role", "content"}, ...]}} per line: {@code openai} (chat
 * fine-tuning JSONL), {@code together} (conversational), {@code fireworks} (chat) and {@code trl}
 * (SFTTrainer's conversational format); the preference formats are {@code openai-dpo} and {@code
 * trl-dpo} (see {@link #lines}). Every example is checked against the format's rules before anything
 * is written.
 */
public final class DatasetExport {
  public static final Set<String> FORMATS = Set.of("openai", "together", "fireworks", "trl", "openai-dpo", "trl-dpo");
  /** The preference formats: every example must carry a rejected reply. */
  static final Set<String> PREFERENCE = Set.of("openai-dpo", "trl-dpo");

  /** What was written: the files and how many examples each holds. */
  public record Written(Path train, int trainCount, Path validation, int validationCount) {}

  private DatasetExport() {}

  public static Written export(List<Example> examples, String format, Path dir, double validationShare, long seed) {
    if (!FORMATS.contains(format)) throw new IllegalArgumentException("--format: '" + format + "' is not one of " + new java.util.TreeSet<>(FORMATS));
    if (!(validationShare >= 0 && validationShare < 1)) throw new IllegalArgumentException("--validation-share must be in [0, 1), got " + validationShare);
    List<String> problems = new ArrayList<>();
    for (Example e : examples) {
      String why = DatasetCheck.formatProblem(e);
      if (why != null) problems.add(e.id() + ": " + why);
    }
    if (PREFERENCE.contains(format)) {
      for (Example e : examples) if (e.rejected() == null) problems.add(e.id() + ": no rejected reply (" + format + " needs preference pairs: dataset build --from preferences)");
    }
    if (!problems.isEmpty()) throw new IllegalArgumentException("not exported: " + problems.size() + " examples break " + format + "'s rules, first " + problems.get(0));
    List<Example> shuffled = new ArrayList<>(examples);
    Collections.shuffle(shuffled, new Random(seed));
    int nVal = (int) Math.round(shuffled.size() * validationShare);
    if (validationShare > 0 && nVal == 0 && shuffled.size() > 1) nVal = 1;
    List<Example> val = shuffled.subList(0, nVal), train = shuffled.subList(nVal, shuffled.size());
    Path trainFile = dir.resolve("train.jsonl"), valFile = nVal == 0 ? null : dir.resolve("validation.jsonl");
    DatasetFile.writeLines(trainFile, lines(train, format));
    if (valFile != null) DatasetFile.writeLines(valFile, lines(val, format));
    return new Written(trainFile, train.size(), valFile, val.size());
  }

  /**
   * The examples in {@code format}: chat lines ({@code {"messages": [...]}}); for {@code openai-dpo}
   * (OpenAI's and Together's preference format) {@code {"input": {"messages": [...prompt]},
   * "preferred_output": [reply], "non_preferred_output": [reply]}}; for {@code trl-dpo} (TRL's
   * conversational preference format) {@code {"prompt": [...], "chosen": [reply], "rejected": [reply]}}.
   */
  public static List<String> lines(List<Example> examples, String format) {
    List<String> out = new ArrayList<>();
    for (Example e : examples) {
      List<Map<String, Object>> msgs = new ArrayList<>();
      for (Example.Message m : e.messages()) msgs.add(message(m.role(), m.content()));
      Object line;
      if (format.equals("openai-dpo") || format.equals("trl-dpo")) {
        List<Map<String, Object>> prompt = msgs.subList(0, msgs.size() - 1);
        List<Map<String, Object>> chosen = List.of(msgs.get(msgs.size() - 1)), rejected = List.of(message("assistant", e.rejected()));
        Map<String, Object> m = new LinkedHashMap<>();
        if (format.equals("openai-dpo")) {
          m.put("input", Map.of("messages", prompt));
          m.put("preferred_output", chosen);
          m.put("non_preferred_output", rejected);
        } else {
          m.put("prompt", prompt);
          m.put("chosen", chosen);
          m.put("rejected", rejected);
        }
        line = m;
      } else {
        line = Map.of("messages", msgs);
      }
      try {
        out.add(DatasetFile.JSON.writeValueAsString(line));
      } catch (JsonProcessingException ex) {
        throw new IllegalStateException(ex);
      }
    }
    return out;
  }

  private static Map<String, Object> message(String role, String content) {
    Map<String, Object> x = new LinkedHashMap<>();
    x.put("role", role);
    x.put("content", content);
    return x;
  }
}
