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
 * {@code validation.jsonl}, split by a seeded shuffle. The chat formats written so far are the ones
 * these trainers read as {@code {"messages": [{"role", "content"}, ...]}} per line: {@code openai}
 * (chat fine-tuning JSONL), {@code together} (conversational), {@code fireworks} (chat) and {@code
 * trl} (SFTTrainer's conversational format). Every line is checked against the format's rules
 * before anything is written.
 */
public final class DatasetExport {
  public static final Set<String> FORMATS = Set.of("openai", "together", "fireworks", "trl");

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
    if (!problems.isEmpty()) throw new IllegalArgumentException("not exported: " + problems.size() + " examples break " + format + "'s rules, first " + problems.get(0));
    List<Example> shuffled = new ArrayList<>(examples);
    Collections.shuffle(shuffled, new Random(seed));
    int nVal = (int) Math.round(shuffled.size() * validationShare);
    if (validationShare > 0 && nVal == 0 && shuffled.size() > 1) nVal = 1;
    List<Example> val = shuffled.subList(0, nVal), train = shuffled.subList(nVal, shuffled.size());
    Path trainFile = dir.resolve("train.jsonl"), valFile = nVal == 0 ? null : dir.resolve("validation.jsonl");
    DatasetFile.writeLines(trainFile, lines(train));
    if (valFile != null) DatasetFile.writeLines(valFile, lines(val));
    return new Written(trainFile, train.size(), valFile, val.size());
  }

  /** The examples as chat lines, {@code {"messages": [...]}} each. */
  public static List<String> lines(List<Example> examples) {
    List<String> out = new ArrayList<>();
    for (Example e : examples) {
      List<Map<String, Object>> msgs = new ArrayList<>();
      for (Example.Message m : e.messages()) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("role", m.role());
        x.put("content", m.content());
        msgs.add(x);
      }
      try {
        out.add(DatasetFile.JSON.writeValueAsString(Map.of("messages", msgs)));
      } catch (JsonProcessingException ex) {
        throw new IllegalStateException(ex);
      }
    }
    return out;
  }
}
