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
 * (SFTTrainer's conversational format), {@code axolotl} (the same lines, read by its
 * {@code chat_template} dataset type, with an {@code axolotl.yaml} of the dataset settings to paste);
 * the preference formats are {@code openai-dpo} and {@code trl-dpo} (see {@link #lines}).
 * {@code llama-factory} and {@code llama-factory-dpo} write LLaMA-Factory's ShareGPT format instead,
 * JSON arrays {@code train.json} and {@code validation.json} with the {@code dataset_info.json} that
 * registers them (see {@link #shareGpt}). Every example is checked against the format's rules before
 * anything is written.
 */
public final class DatasetExport {
  public static final Set<String> FORMATS = Set.of("openai", "together", "fireworks", "trl", "axolotl", "llama-factory", "openai-dpo", "trl-dpo",
      "llama-factory-dpo");
  /** The preference formats: every example must carry a rejected reply. */
  static final Set<String> PREFERENCE = Set.of("openai-dpo", "trl-dpo", "llama-factory-dpo");

  /** What was written: the files and how many examples each holds, and the trainer's settings file (axolotl.yaml, dataset_info.json) or null. */
  public record Written(Path train, int trainCount, Path validation, int validationCount, Path settings) {}

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
    if (format.startsWith("llama-factory")) {
      for (Example e : examples) {
        String why = shareGptProblem(e);
        if (why != null) problems.add(e.id() + ": " + why);
      }
    }
    if (!problems.isEmpty()) throw new IllegalArgumentException("not exported: " + problems.size() + " examples break " + format + "'s rules, first " + problems.get(0));
    List<Example> shuffled = new ArrayList<>(examples);
    Collections.shuffle(shuffled, new Random(seed));
    int nVal = (int) Math.round(shuffled.size() * validationShare);
    if (validationShare > 0 && nVal == 0 && shuffled.size() > 1) nVal = 1;
    List<Example> val = shuffled.subList(0, nVal), train = shuffled.subList(nVal, shuffled.size());
    if (format.startsWith("llama-factory")) {
      boolean ranking = format.equals("llama-factory-dpo");
      Path trainFile = dir.resolve("train.json"), valFile = nVal == 0 ? null : dir.resolve("validation.json"), info = dir.resolve("dataset_info.json");
      DatasetFile.writeLines(trainFile, List.of(json(shareGpt(train, ranking))));
      if (valFile != null) DatasetFile.writeLines(valFile, List.of(json(shareGpt(val, ranking))));
      Map<String, Object> infos = new LinkedHashMap<>();
      infos.put("groundwork_train", datasetInfo("train.json", ranking));
      if (valFile != null) infos.put("groundwork_validation", datasetInfo("validation.json", ranking));
      DatasetFile.writeLines(info, List.of(json(infos)));
      return new Written(trainFile, train.size(), valFile, val.size(), info);
    }
    Path trainFile = dir.resolve("train.jsonl"), valFile = nVal == 0 ? null : dir.resolve("validation.jsonl");
    DatasetFile.writeLines(trainFile, lines(train, format));
    if (valFile != null) DatasetFile.writeLines(valFile, lines(val, format));
    Path settings = null;
    if (format.equals("axolotl")) {
      settings = dir.resolve("axolotl.yaml");
      DatasetFile.writeLines(settings, axolotl(valFile != null));
    }
    return new Written(trainFile, train.size(), valFile, val.size(), settings);
  }

  /**
   * The dataset part of an Axolotl config for these files: the {@code chat_template} type over
   * {@code messages}, training on the assistant's turns only, each ending with the end-of-turn token,
   * with the tokenizer's own chat template (the one the served model will use).
   */
  static List<String> axolotl(boolean validation) {
    List<String> out = new ArrayList<>(List.of(
        "# the dataset settings of an Axolotl config (written by groundwork dataset export --format axolotl); add base_model, adapter, and the rest",
        "chat_template: tokenizer_default",
        "datasets:"));
    out.addAll(axolotlDataset("train.jsonl"));
    if (validation) {
      out.add("test_datasets:");
      out.addAll(axolotlDataset("validation.jsonl"));
      out.add("  # (with test_datasets, leave val_set_size unset)");
    }
    return out;
  }

  private static List<String> axolotlDataset(String file) {
    return List.of("  - path: " + file, "    ds_type: json", "    type: chat_template", "    field_messages: messages",
        "    message_property_mappings:", "      role: role", "      content: content", "    roles_to_train: [\"assistant\"]", "    train_on_eos: turn");
  }

  /** LLaMA-Factory's registration of one file: ShareGPT formatting, with its ranking columns for preference pairs. */
  private static Map<String, Object> datasetInfo(String file, boolean ranking) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file_name", file);
    m.put("formatting", "sharegpt");
    if (ranking) m.put("ranking", true);
    Map<String, Object> cols = new LinkedHashMap<>();
    cols.put("messages", "conversations");
    cols.put("system", "system");
    if (ranking) {
      cols.put("chosen", "chosen");
      cols.put("rejected", "rejected");
    }
    m.put("columns", cols);
    return m;
  }

  /**
   * The examples in LLaMA-Factory's ShareGPT format: {@code {"conversations": [{"from": "human"|"gpt",
   * "value"}...], "system"}}; with {@code ranking}, the last reply moves out to {@code "chosen"} and the
   * rejected one is {@code "rejected"}, each {@code {"from": "gpt", "value"}}.
   */
  static List<Map<String, Object>> shareGpt(List<Example> examples, boolean ranking) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Example e : examples) {
      List<Example.Message> ms = e.messages();
      String system = null;
      if (!ms.isEmpty() && ms.get(0).role().equals("system")) {
        system = ms.get(0).content();
        ms = ms.subList(1, ms.size());
      }
      List<Map<String, Object>> conv = new ArrayList<>();
      for (Example.Message m : ms) conv.add(turn(m.role().equals("user") ? "human" : "gpt", m.content()));
      Map<String, Object> x = new LinkedHashMap<>();
      if (ranking) {
        x.put("conversations", conv.subList(0, conv.size() - 1));
        x.put("chosen", conv.get(conv.size() - 1));
        x.put("rejected", turn("gpt", e.rejected()));
      } else {
        x.put("conversations", conv);
      }
      if (system != null) x.put("system", system);
      out.add(x);
    }
    return out;
  }

  /** Why {@code e} cannot be written as ShareGPT (turns must alternate human, gpt, ... and end with gpt; system only first), or null. */
  static String shareGptProblem(Example e) {
    List<Example.Message> ms = e.messages();
    int start = !ms.isEmpty() && ms.get(0).role().equals("system") ? 1 : 0;
    for (int i = start; i < ms.size(); i++) {
      String want = (i - start) % 2 == 0 ? "user" : "assistant";
      if (!ms.get(i).role().equals(want)) return "message " + (i + 1) + " is " + ms.get(i).role() + "; ShareGPT turns alternate user and assistant after one optional system message";
    }
    if ((ms.size() - start) % 2 != 0) return "ShareGPT conversations end with the assistant's reply";
    return null;
  }

  private static Map<String, Object> turn(String from, String value) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("from", from);
    t.put("value", value);
    return t;
  }

  private static String json(Object o) {
    try {
      return DatasetFile.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
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
