package dev.groundwork.app;

import dev.groundwork.tuning.dataset.DatasetExport;
import dev.groundwork.tuning.dataset.DatasetFile;
import dev.groundwork.tuning.dataset.Example;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code tune start --provider local}: the dataset exported for the configured trainer
 * ({@code tuning.local}), a trainer config written beside it, the trainer's command run in the job's
 * folder with its output streamed, and the GGUF it leaves in the output folder picked up. Axolotl,
 * TRL, Unsloth and llama.cpp's finetune each need their own installation; Groundwork only prepares
 * their input and runs the command the project names.
 */
final class LocalTraining {
  /** What a run produced: the GGUF (or null), the exit code, and the last lines of output. */
  record Outcome(Path gguf, int exitCode, List<String> tail, Path log) {}

  private LocalTraining() {}

  /**
   * Exports {@code examples} into {@code job/data}, writes the trainer config, runs the command and
   * finds the GGUF under {@code job/output}.
   */
  static Outcome run(ProjectConfig.LocalTrainer t, Path job, List<Example> examples, String baseModel, String method, Integer epochs, Consumer<String> progress) {
    try {
      Path data = job.resolve("data"), output = job.resolve("output");
      Files.createDirectories(output);
      boolean dpo = method.equals("dpo");
      if (dpo && t.format().equals("axolotl")) throw new BadInputException("tuning.local.format axolotl: --method dpo is not prepared for Axolotl here; use format: trl");
      DatasetExport.Written w = DatasetExport.export(examples, t.format().equals("axolotl") ? "axolotl" : dpo ? "trl-dpo" : "trl", data, 0.1, 7);
      Path config = job.resolve(t.format().equals("axolotl") ? "axolotl.yaml" : "trl.json");
      DatasetFile.writeLines(config, t.format().equals("axolotl") ? axolotl(baseModel, w, output, epochs) : List.of(trl(baseModel, w, output, epochs, method)));
      Map<String, String> vars = new LinkedHashMap<>();
      vars.put("{config}", config.toString());
      vars.put("{data}", data.toString());
      vars.put("{output}", output.toString());
      vars.put("{base_model}", baseModel);
      vars.put("{epochs}", epochs == null ? "" : String.valueOf(epochs));
      vars.put("{method}", method);
      vars.put("{job}", job.toString());
      List<String> cmd = new ArrayList<>();
      for (String a : t.command()) {
        for (Map.Entry<String, String> v : vars.entrySet()) a = a.replace(v.getKey(), v.getValue());
        cmd.add(a);
      }
      Path log = job.resolve("train.log");
      Process p;
      try {
        p = new ProcessBuilder(cmd).directory(job.toFile()).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new BadInputException("tuning.local.command: cannot start '" + cmd.get(0) + "' (" + e.getMessage() + "); is the trainer installed and on PATH?");
      }
      p.getOutputStream().close();
      Deque<String> tail = new ArrayDeque<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
          var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
        String line;
        while ((line = r.readLine()) != null) {
          out.write(line);
          out.newLine();
          out.flush();
          progress.accept(line);
          tail.addLast(line);
          if (tail.size() > 5) tail.removeFirst();
        }
      }
      int code = p.waitFor();
      return new Outcome(code == 0 ? newestGguf(output) : null, code, List.copyOf(tail), log);
    } catch (IOException e) {
      throw new UncheckedIOException("local training in " + job + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedOperationException("local training interrupted; its output so far is in " + job.resolve("train.log"));
    }
  }

  private static Path newestGguf(Path output) throws IOException {
    try (Stream<Path> s = Files.walk(output)) {
      return s.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".gguf")).max(Comparator.comparing(f -> {
        try {
          return Files.getLastModifiedTime(f);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      })).orElse(null);
    }
  }

  /** A whole Axolotl config: a LoRA on {@code base} over the exported data, its dataset part as the export wrote it. */
  static List<String> axolotl(String base, DatasetExport.Written w, Path output, Integer epochs) throws IOException {
    List<String> out = new ArrayList<>(List.of("# written by groundwork tune start --provider local", "base_model: " + quote(base), "adapter: lora",
        "lora_r: 16", "lora_alpha: 32", "lora_dropout: 0.05", "lora_target_linear: true", "num_epochs: " + (epochs == null ? 3 : epochs),
        "output_dir: " + quote(output.toString())));
    for (String line : Files.readAllLines(w.settings())) {
      if (line.startsWith("#")) continue;
      out.add(line.replace("path: train.jsonl", "path: " + quote(w.train().toString()))
          .replace("path: validation.jsonl", "path: " + (w.validation() == null ? "validation.jsonl" : quote(w.validation().toString()))));
    }
    return out;
  }

  /** The settings a TRL script reads: model, files, output, epochs, method. */
  static String trl(String base, DatasetExport.Written w, Path output, Integer epochs, String method) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model_name_or_path", base);
    m.put("method", method);
    m.put("train_file", w.train().toString());
    m.put("validation_file", w.validation() == null ? null : w.validation().toString());
    m.put("output_dir", output.toString());
    m.put("num_train_epochs", epochs == null ? 3 : epochs);
    return Json.write(m);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
