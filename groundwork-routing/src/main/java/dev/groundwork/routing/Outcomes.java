package dev.groundwork.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Per-prompt routing outcomes, and the models every prompt scores: for each prompt, how well each model answered it (0..1) and, where
 * known, what it cost. Reads three formats as they are:
 *
 * <ul>
 *   <li>RouteLLM's outcome CSVs: {@code prompt}, then one {@code True}/{@code False} column per
 *       model ({@code <model>_response} columns are ignored);
 *   <li>RouterBench-style wide CSVs: a {@code prompt} column, one correctness column per model and
 *       one {@code <model>|total_cost} column per model;
 *   <li>routing-outcomes JSONL: {@code {"id", "prompt", "scores": {model: 0..1}, "costs": {model:
 *       usd}}}, {@code costs} and {@code category} optional.
 * </ul>
 *
 * A CSV's category is its file name without the extension (RouteLLM keeps one MMLU subject per
 * file); a folder means every {@code .csv} in it and every {@code .jsonl} whose lines hold {@code scores}, in name order.
 */
public record Outcomes(List<Outcome> outcomes, List<String> models) {
  /** One prompt: its scores per model (0..1) and costs per model (USD; empty where unknown). */
  public record Outcome(String id, String prompt, String category, Map<String, Double> scores, Map<String, Double> costs) {
    public Outcome {
      scores = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scores)); // in file order: the models' order
      costs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(costs));
    }

    public double score(String model) {
      Double s = scores.get(model);
      if (s == null) throw new IllegalArgumentException("prompt " + id + " has no score for " + model);
      return s;
    }
  }

  public Outcomes {
    outcomes = List.copyOf(outcomes);
    models = List.copyOf(models);
  }

  /** The mean score of {@code model} over every prompt. */
  public double mean(String model) {
    return outcomes.stream().mapToDouble(o -> o.score(model)).average().orElse(0);
  }

  /** Whether every outcome has a cost for every model. */
  public boolean hasCosts() {
    return !outcomes.isEmpty() && outcomes.stream().allMatch(o -> o.costs().keySet().containsAll(models));
  }

  /** The outcomes whose prompt is not in {@code prompts} (compared after trimming). */
  public Outcomes without(Set<String> prompts) {
    return new Outcomes(outcomes.stream().filter(o -> !prompts.contains(o.prompt().strip())).toList(), models);
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads files and folders into one set; the models are those every prompt scores. */
  public static Outcomes read(Collection<Path> paths) {
    List<Outcome> all = new ArrayList<>();
    for (Path p : paths) {
      for (Path f : files(p)) all.addAll(readFile(f));
    }
    if (all.isEmpty()) throw new IllegalArgumentException("no outcomes in " + paths + ": expected .csv or .jsonl files with a prompt per row");
    Set<String> models = new LinkedHashSet<>(all.get(0).scores().keySet());
    for (Outcome o : all) models.retainAll(o.scores().keySet());
    if (models.size() < 2) {
      throw new IllegalArgumentException("the outcomes in " + paths + " share fewer than two models (" + models
          + "): routing needs a score for at least two models on every prompt");
    }
    return new Outcomes(all, new ArrayList<>(models));
  }

  /** The prompts listed in a JSONL file of {@code {"eval_prompt": ...}} lines (RouteLLM's contaminated prompts). */
  public static Set<String> promptsIn(Path jsonl) {
    Set<String> out = new java.util.HashSet<>();
    int line = 0;
    try (var lines = Files.lines(jsonl)) {
      for (String l : (Iterable<String>) lines::iterator) {
        line++;
        if (l.isBlank()) continue;
        JsonNode n = JSON.readTree(l);
        JsonNode p = n.has("eval_prompt") ? n.get("eval_prompt") : n.get("prompt");
        if (p == null || !p.isTextual()) throw new IllegalArgumentException(jsonl + ":" + line + ": expected an \"eval_prompt\" or \"prompt\" string");
        out.add(p.asText().strip());
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(jsonl + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static List<Path> files(Path p) {
    if (!Files.exists(p)) throw new IllegalArgumentException(p + ": no such file or folder");
    if (!Files.isDirectory(p)) return List.of(p);
    try (Stream<Path> s = Files.list(p)) {
      List<Path> out = s.filter(f -> f.toString().endsWith(".csv") || (f.toString().endsWith(".jsonl") && holdsScores(f))).sorted().toList();
      if (out.isEmpty()) throw new IllegalArgumentException(p + ": the folder holds no .csv or .jsonl files");
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether a JSONL file's first line has "scores" (a folder can also hold other JSONL, such as a list of prompts to exclude). */
  private static boolean holdsScores(Path f) {
    try (var lines = Files.lines(f)) {
      return lines.filter(l -> !l.isBlank()).findFirst().map(l -> {
        try {
          return JSON.readTree(l).has("scores");
        } catch (IOException e) {
          return true; // let the reader name the bad line
        }
      }).orElse(false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Outcome> readFile(Path f) {
    String name = f.getFileName().toString();
    try {
      if (name.endsWith(".jsonl")) return readJsonl(f);
      if (name.endsWith(".csv")) return readCsv(f, name.substring(0, name.length() - 4));
    } catch (IOException | RuntimeException e) {
      if (e instanceof IllegalArgumentException) throw (IllegalArgumentException) e;
      throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(f + ": expected a .csv or .jsonl file");
  }

  private static List<Outcome> readJsonl(Path f) throws IOException {
    List<Outcome> out = new ArrayList<>();
    int line = 0;
    for (String l : Files.readAllLines(f)) {
      line++;
      if (l.isBlank()) continue;
      String where = f + ":" + line;
      JsonNode n;
      try {
        n = JSON.readTree(l);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException(where + ": not JSON (" + e.getOriginalMessage() + ")");
      }
      if (!n.path("prompt").isTextual()) throw new IllegalArgumentException(where + ": \"prompt\" must be a string");
      if (!n.path("scores").isObject() || n.get("scores").isEmpty()) throw new IllegalArgumentException(where + ": \"scores\" must be an object of model: 0..1");
      Map<String, Double> scores = numbers(n.get("scores"), where, "scores", true);
      Map<String, Double> costs = n.has("costs") ? numbers(n.get("costs"), where, "costs", false) : Map.of();
      String id = n.path("id").isMissingNode() ? name(f) + "#" + line : n.get("id").asText();
      out.add(new Outcome(id, n.get("prompt").asText(), n.path("category").asText(name(f)), scores, costs));
    }
    return out;
  }

  private static Map<String, Double> numbers(JsonNode obj, String where, String field, boolean unit) {
    if (!obj.isObject()) throw new IllegalArgumentException(where + ": \"" + field + "\" must be an object");
    Map<String, Double> m = new LinkedHashMap<>();
    for (var e : (Iterable<Map.Entry<String, JsonNode>>) obj::fields) {
      JsonNode v = e.getValue();
      double d;
      if (v.isBoolean()) d = v.asBoolean() ? 1 : 0;
      else if (v.isNumber()) d = v.asDouble();
      else throw new IllegalArgumentException(where + ": " + field + "." + e.getKey() + " must be a number");
      if (!Double.isFinite(d) || d < 0 || (unit && d > 1)) {
        throw new IllegalArgumentException(where + ": " + field + "." + e.getKey() + " = " + d + " is out of range (" + (unit ? "0..1" : ">= 0") + ")");
      }
      m.put(e.getKey(), d);
    }
    return m;
  }

  private static String name(Path f) {
    String n = f.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }

  private static List<Outcome> readCsv(Path f, String category) throws IOException {
    CsvMapper csv = new CsvMapper();
    csv.enable(CsvParser.Feature.WRAP_AS_ARRAY);
    List<Outcome> out = new ArrayList<>();
    try (MappingIterator<String[]> it = csv.readerFor(String[].class).readValues(f.toFile())) {
      if (!it.hasNext()) throw new IllegalArgumentException(f + ": empty");
      String[] header = it.next();
      int prompt = -1;
      Map<String, Integer> scoreCols = new LinkedHashMap<>();
      Map<String, Integer> costCols = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        String h = header[i].strip();
        if (h.equals("prompt")) prompt = i;
        else if (h.endsWith("|total_cost")) costCols.put(h.substring(0, h.length() - "|total_cost".length()), i);
        else if (h.endsWith("_response") || h.contains("|") || h.isEmpty() || h.equals("sample_id") || h.equals("eval_name") || h.equals("oracle_model_to_route_to")) continue;
        else scoreCols.put(h, i);
      }
      if (prompt < 0) throw new IllegalArgumentException(f + ": no \"prompt\" column in the header " + java.util.Arrays.toString(header));
      int row = 1;
      while (it.hasNext()) {
        String[] r = it.next();
        row++;
        if (r.length == 1 && r[0].isBlank()) continue;
        Map<String, Double> scores = new LinkedHashMap<>();
        for (var e : scoreCols.entrySet()) {
          String v = e.getValue() < r.length ? r[e.getValue()].strip() : "";
          Double d = cell(v);
          if (d == null) throw new IllegalArgumentException(f + ": row " + row + ", column " + e.getKey() + ": \"" + v + "\" is not True/False or a number in 0..1");
          scores.put(e.getKey(), d);
        }
        Map<String, Double> costs = new LinkedHashMap<>();
        for (var e : costCols.entrySet()) {
          String v = e.getValue() < r.length ? r[e.getValue()].strip() : "";
          try {
            costs.put(e.getKey(), Double.parseDouble(v));
          } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(f + ": row " + row + ", column " + e.getKey() + "|total_cost: \"" + v + "\" is not a number");
          }
        }
        out.add(new Outcome(category + "#" + (row - 1), r[prompt], category, scores, costs));
      }
    }
    return out;
  }

  private static Double cell(String v) {
    if (v.equalsIgnoreCase("true")) return 1.0;
    if (v.equalsIgnoreCase("false")) return 0.0;
    try {
      double d = Double.parseDouble(v);
      return d >= 0 && d <= 1 ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
