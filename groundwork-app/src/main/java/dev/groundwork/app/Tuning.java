package dev.groundwork.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.app.versions.VersionRegistry;
import dev.groundwork.core.model.ModelSettings;
import dev.groundwork.http.Http1Client;
import dev.groundwork.tuning.dataset.DatasetExport;
import dev.groundwork.tuning.dataset.DatasetFile;
import dev.groundwork.tuning.jobs.FineTuningApi;
import dev.groundwork.tuning.jobs.OpenAiFineTuning;
import dev.groundwork.tuning.jobs.TogetherFineTuning;
import dev.groundwork.tuning.jobs.TuningJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Fine-tuning jobs of a project: started from a dataset, kept in {@code .groundwork/tuning/jobs/}
 * (so {@code status} and {@code wait} resume after a restart), their files uploaded once (by content
 * hash, per endpoint). Providers: {@code together} (open models; TOGETHER_API_KEY, TOGETHER_BASE_URL)
 * and {@code openai} (models.openai or OPENAI_API_KEY / OPENAI_BASE_URL); {@code local} runs the
 * trainer groundwork.yaml names under {@code tuning.local} (see {@link #startLocal}). Fireworks is not
 * built yet.
 */
public final class Tuning {
  static final ObjectMapper JSON = new ObjectMapper().enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

  private final Project project;
  private final Clock clock;
  private final LongConsumer sleep;

  /** @param sleep how to wait, in milliseconds, between polls and retries */
  public Tuning(Project project, Clock clock, LongConsumer sleep) {
    this.project = project;
    this.clock = clock;
    this.sleep = sleep;
  }

  Path dir() {
    return project.dataDir().resolve("tuning");
  }

  /** A warning for a provider that is winding hosted fine-tuning down, or null. */
  public static final java.util.Set<String> PROVIDERS = java.util.Set.of("together", "fireworks", "openai", "local");

  public static String providerWarning(String provider) {
    return provider.equals("openai") ? "OpenAI takes no new fine-tuning jobs after 2027-01-06 and retires its GPT-4o and GPT-4.1 fine-tunes on 2027-01-14"
        + " (open models: together, fireworks, or a local trainer, keep working)" : null;
  }

  /**
   * Starts a job: uploads the dataset (a file built by {@code dataset build}, sent as chat lines, or an
   * exported {@code train.jsonl} as it is) and its validation file unless uploaded before, creates the
   * job, stores it.
   */
  public TuningJob start(String provider, String model, Path dataset, Path validation, String method, Integer epochs, String suffix, Long seed) {
    if (!PROVIDERS.contains(provider)) {
      throw new BadInputException("--provider: together, fireworks, openai or local, got '" + provider + "'");
    }
    if (provider.equals("local")) return startLocal(model, dataset, method, epochs, line -> { });
    if (!method.equals("sft") && !method.equals("dpo")) throw new BadInputException("--method must be sft or dpo, got '" + method + "'");
    if (epochs != null && (epochs < 1 || epochs > 50)) throw new BadInputException("--epochs must be in 1..50, got " + epochs);
    byte[] train = trainingBytes(dataset, method);
    byte[] val = validation == null ? null : trainingBytes(validation, method);
    Api api = api(provider, model);
    try {
      String trainId = uploadOnce(api, dataset.getFileName().toString(), train);
      String valId = val == null ? null : uploadOnce(api, validation.getFileName().toString(), val);
      FineTuningApi.State st = api.client().create(model, trainId, valId, method, epochs, suffix, seed);
      Map<String, Object> hp = new LinkedHashMap<>();
      hp.put("n_epochs", epochs == null ? "auto" : epochs);
      TuningJob job = new TuningJob(provider, st.id(), model, st.status(), null, trainId, valId, VersionRegistry.sha256(train), method, hp, null,
          null, clock.instant().toString(), clock.instant().toString(), List.of(), null);
      save(job);
      return job;
    } catch (IOException e) {
      throw new UpstreamException(provider + " fine-tuning: " + e.getMessage() + "; no job was created (files already uploaded are not sent again)");
    }
  }

  /**
   * Trains here, in the foreground: the dataset (a file built by {@code dataset build}) exported for
   * the trainer {@code tuning.local} names, its config written, its command run in
   * {@code .groundwork/tuning/local/JOB/} with each output line given to {@code progress} (and kept in
   * {@code train.log}), and the newest {@code .gguf} under {@code output/} registered as a model version
   * served by llama.cpp. A trainer that exits non-zero, or leaves no GGUF, fails the job and says why.
   */
  public TuningJob startLocal(String baseModel, Path dataset, String method, Integer epochs, Consumer<String> progress) {
    ProjectConfig.LocalTrainer t = project.config().localTrainer();
    if (t == null) {
      throw new ConfigException(ProjectConfig.FILE + ": tuning.local.command is not set; name the trainer to run, e.g. tuning: {local: {command: [axolotl, train, \"{config}\"]}}");
    }
    if (!method.equals("sft") && !method.equals("dpo")) throw new BadInputException("--method must be sft or dpo, got '" + method + "'");
    if (epochs != null && (epochs < 1 || epochs > 50)) throw new BadInputException("--epochs must be in 1..50, got " + epochs);
    byte[] bytes;
    try {
      bytes = java.nio.file.Files.readAllBytes(dataset);
    } catch (IOException e) {
      throw new BadInputException("cannot read " + dataset + ": " + e.getMessage());
    }
    var read = dev.groundwork.tuning.dataset.DatasetFile.read(dataset);
    if (!read.problems().isEmpty()) {
      throw new BadInputException(dataset + ": line " + read.problems().get(0).line() + ": " + read.problems().get(0).message() + " (run groundwork dataset check)");
    }
    if (read.examples().isEmpty()) throw new BadInputException(dataset + ": no examples to train on");
    String hash = VersionRegistry.sha256(bytes);
    String stem = "local-" + VersionRegistry.stamp(clock.instant()) + "-" + hash.substring(0, 8);
    // the same dataset started twice within a second must not share (and inherit) a job folder
    Path job = claimJobDir(dir().resolve("local"), stem);
    String id = job.getFileName().toString();
    Map<String, Object> hp = new LinkedHashMap<>();
    hp.put("n_epochs", epochs == null ? 3 : epochs);
    hp.put("trainer", String.join(" ", t.command()));
    hp.put("format", t.format());
    LocalTraining.Outcome o;
    try {
      o = LocalTraining.run(t, job, read.examples(), baseModel, method, epochs, progress);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
    String error = o.exitCode() != 0 ? "the trainer exited with " + o.exitCode() + ": " + String.join(" | ", o.tail()) + " (all of it: " + o.log() + ")"
        : o.gguf() == null ? "the trainer finished but left no .gguf under " + job.resolve("output") + "; end its command with the export to GGUF"
            + " (llama.cpp's convert_hf_to_gguf.py, or convert_lora_to_gguf.py for an adapter)" : null;
    String served = o.gguf() == null ? null : o.gguf().toAbsolutePath().toString();
    if (error == null) {
      // a LoRA adapter is served over its base model's GGUF (llamacpp:BASE+ADAPTER); a merged model alone
      boolean adapter;
      try {
        adapter = dev.groundwork.models.llamacpp.GgufMetadata.read(o.gguf()).isLoraAdapter();
      } catch (IOException e) {
        adapter = false;
        error = "the trainer left " + o.gguf() + ", which is not a readable GGUF: " + e.getMessage();
      }
      if (adapter && t.baseGguf() == null) {
        error = "the trainer left a LoRA adapter (" + o.gguf() + "): set tuning.local.base_gguf to the base model's GGUF to serve it over, "
            + "or merge it (llama.cpp's export-lora) at the end of the command";
      } else if (adapter) {
        Path base = project.root().resolve(t.baseGguf());
        served = (Files.isRegularFile(base) ? base.toAbsolutePath().toString() : t.baseGguf()) + "+" + served;
      }
    }
    String now = clock.instant().toString();
    TuningJob j = new TuningJob("local", id, baseModel, error == null ? "succeeded" : "failed", served,
        job.resolve("data").toString(), null, hash, method, hp, error, null, now, now, o.tail(), null);
    if (error == null) j = j.withVersion(register(j).id());
    save(j);
    return j;
  }

  /** The job as the provider has it now (stored again); a job the provider no longer knows is marked failed, saying so. */
  public TuningJob status(String id) {
    TuningJob old = load(id);
    if (old.done()) return old;
    FineTuningApi api = api(old.provider(), old.baseModel()).client();
    try {
      FineTuningApi.State st = api.get(id);
      List<String> events = api.events(id);
      TuningJob now = new TuningJob(old.provider(), old.id(), old.baseModel(), st.status(), st.fineTunedModel(), old.trainingFile(), old.validationFile(),
          old.datasetHash(), old.method(), old.hyperparameters(), st.error(), st.trainedTokens(), old.createdAt(), clock.instant().toString(), events, null);
      if (now.status().equals("succeeded") && now.fineTunedModel() != null) now = now.withVersion(register(now).id());
      save(now);
      return now;
    } catch (OpenAiFineTuning.ApiException e) {
      if (e.status == 404) {
        TuningJob gone = new TuningJob(old.provider(), old.id(), old.baseModel(), "failed", null, old.trainingFile(), old.validationFile(), old.datasetHash(),
            old.method(), old.hyperparameters(), "the provider no longer knows this job (deleted?): " + e.getMessage(), null, old.createdAt(),
            clock.instant().toString(), old.events(), null);
        save(gone);
        return gone;
      }
      throw new UpstreamException(old.provider() + " fine-tuning: " + e.getMessage());
    } catch (IOException e) {
      throw new UpstreamException(old.provider() + " fine-tuning: " + e.getMessage());
    }
  }

  /**
   * Registers a succeeded job's model as a version of kind {@code model}, with its lineage: provider,
   * base model, job, dataset hash, method and hyperparameters, and the date the provider retires its
   * fine-tunes where known. Not promoted: {@code versions promote} runs the model gate first.
   */
  dev.groundwork.app.versions.Version register(TuningJob j) {
    Map<String, Object> artifact = new LinkedHashMap<>();
    // a local trainer's GGUF is served by llama.cpp; a provider's model by that provider
    artifact.put("model", (j.provider().equals("local") ? "llamacpp" : j.provider()) + ":" + j.fineTunedModel());
    artifact.put("provider", j.provider());
    artifact.put("base_model", j.baseModel());
    artifact.put("job", j.id());
    artifact.put("dataset_sha256", j.datasetHash());
    artifact.put("trained_tokens", j.trainedTokens());
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("provider", j.provider());
    settings.put("base_model", j.baseModel());
    settings.put("method", j.method());
    settings.put("hyperparameters", j.hyperparameters());
    String retires = retires(j.provider(), j.baseModel());
    if (retires != null) settings.put("retires", retires);
    try {
      return new dev.groundwork.app.versions.ProjectVersions(project, clock).registry().add(dev.groundwork.app.versions.VersionKind.MODEL, "model.json",
          JSON.writeValueAsBytes(artifact), Map.of("dataset", j.datasetHash(), "job", j.id()), settings, Map.of(),
          "fine-tuned " + j.baseModel() + " (" + j.provider() + " job " + j.id() + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** When the provider retires fine-tunes of {@code base}, where it has said so. */
  static String retires(String provider, String base) {
    return provider.equals("openai") && (base.startsWith("gpt-4o") || base.startsWith("gpt-4.1")) ? "2027-01-14" : null;
  }

  /** Polls until the job is done (every {@code poll}, doubling up to 10 times that), telling {@code progress} of each new state. */
  public TuningJob await(String id, Duration poll, Consumer<TuningJob> progress) {
    long wait = poll.toMillis();
    String last = null;
    while (true) {
      TuningJob j = status(id);
      if (!j.status().equals(last)) progress.accept(j);
      last = j.status();
      if (j.done()) return j;
      sleep.accept(wait);
      wait = Math.min(wait * 2, poll.toMillis() * 10);
    }
  }

  public TuningJob cancel(String id) {
    TuningJob old = load(id);
    if (old.done()) throw new ConflictException("job " + id + " is " + old.status() + " already");
    FineTuningApi.State st;
    try {
      st = api(old.provider(), old.baseModel()).client().cancel(id);
    } catch (IOException e) {
      throw new UpstreamException(old.provider() + " fine-tuning: " + e.getMessage());
    }
    if (!st.status().equals("cancelled")) return status(id);
    // what the cancel answered is final (a job stopped by deletion may not be readable after it)
    TuningJob now = new TuningJob(old.provider(), old.id(), old.baseModel(), "cancelled", null, old.trainingFile(), old.validationFile(), old.datasetHash(),
        old.method(), old.hyperparameters(), null, old.trainedTokens(), old.createdAt(), clock.instant().toString(), old.events(), null);
    save(now);
    return now;
  }

  /** The stored jobs, newest first. */
  public List<TuningJob> list() {
    Path d = dir().resolve("jobs");
    if (!Files.isDirectory(d)) return List.of();
    List<TuningJob> out = new ArrayList<>();
    try (var s = Files.list(d)) {
      for (Path f : s.filter(x -> x.toString().endsWith(".json")).toList()) out.add(read(f));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(java.util.Comparator.comparing(TuningJob::createdAt).reversed());
    return out;
  }

  TuningJob load(String id) {
    if (!id.matches("[A-Za-z0-9_.:-]{1,128}")) throw new BadInputException("'" + id + "' is not a job id");
    Path f = dir().resolve("jobs").resolve(id + ".json");
    if (!Files.exists(f)) throw new NotFoundException("no tuning job " + id + " in this project; groundwork tune list shows them");
    return read(f);
  }

  private static TuningJob read(Path f) {
    try {
      return JSON.readValue(f.toFile(), TuningJob.class);
    } catch (IOException e) {
      throw new ConfigException(f + " is corrupt (" + e.getMessage().lines().findFirst().orElse("") + "); move it away to go on");
    }
  }

  private void save(TuningJob j) {
    try {
      DatasetFile.writeLines(dir().resolve("jobs").resolve(j.id() + ".json"), List.of(JSON.writeValueAsString(j)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Uploads {@code content} unless this endpoint has it already (by SHA-256); remembers the file id. */
  private String uploadOnce(Api api, String name, byte[] content) throws IOException {
    Path index = dir().resolve("files.json");
    Map<String, String> known = new LinkedHashMap<>();
    if (Files.exists(index)) {
      JSON.readTree(index.toFile()).fields().forEachRemaining(e -> known.put(e.getKey(), e.getValue().asText()));
    }
    String key = api.client().name() + "|" + api.endpoint() + "|" + VersionRegistry.sha256(content);
    String id = known.get(key);
    if (id != null) return id;
    id = api.client().upload(name, content);
    known.put(key, id);
    DatasetFile.writeLines(index, List.of(JSON.writeValueAsString(known)));
    return id;
  }

  /** The API client and the endpoint it talks to (uploads are remembered per endpoint). */
  private record Api(FineTuningApi client, String endpoint) {}

  /** One HTTP client for all of this instance's calls, so polling reuses its connections. */
  private Http1Client http;

  private synchronized Http1Client http() {
    if (http == null) http = new Http1Client(Duration.ofSeconds(10), Duration.ofSeconds(120));
    return http;
  }

  private Api api(String provider, String model) {
    Http1Client http = http();
    if (provider.equals("together")) {
      Map<String, String> env = project.env();
      String base = env.getOrDefault("TOGETHER_BASE_URL", "https://api.together.xyz/v1");
      String key = env.get("TOGETHER_API_KEY");
      if (key == null || key.isBlank()) throw new ConfigException("together fine-tuning: no API key; set TOGETHER_API_KEY");
      return new Api(new TogetherFineTuning(http, base, key, sleep), base);
    }
    if (provider.equals("fireworks")) {
      // the control plane (datasets, jobs) is not the inference endpoint that fireworks:MODEL calls
      ModelSettings s = project.providerSettings("fireworks:" + model);
      String base = project.env().getOrDefault("FIREWORKS_API_URL", "https://api.fireworks.ai/v1");
      String key = s.pick(s.apiKey(), "FIREWORKS_API_KEY");
      if (key == null) throw new ConfigException("fireworks fine-tuning: no API key; set FIREWORKS_API_KEY (or models.fireworks.api_key in groundwork.yaml)");
      String account = project.env().get("FIREWORKS_ACCOUNT_ID");
      if (account == null || account.isBlank()) throw new ConfigException("fireworks fine-tuning: no account; set FIREWORKS_ACCOUNT_ID (the id in accounts/ID/...)");
      try {
        return new Api(new dev.groundwork.tuning.jobs.FireworksFineTuning(http, base, key, account, sleep), base + "/accounts/" + account);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("FIREWORKS_ACCOUNT_ID: " + e.getMessage());
      }
    }
    ModelSettings s = project.providerSettings("openai:" + model);
    String base = s.pick(s.baseUrl(), "OPENAI_BASE_URL");
    if (base == null) base = "https://api.openai.com/v1";
    String key = s.pick(s.apiKey(), "OPENAI_API_KEY");
    if (key == null) throw new ConfigException("openai fine-tuning: no API key; set OPENAI_API_KEY (or models.openai.api_key in groundwork.yaml)");
    return new Api(new OpenAiFineTuning(http, base, key, sleep), base);
  }

  /**
   * What is sent: a built dataset as chat lines (sft) or preference lines (dpo: {@code input},
   * {@code preferred_output}, {@code non_preferred_output}, which OpenAI and Together both read), an
   * exported file as it is.
   */
  static byte[] trainingBytes(Path file, String method) {
    boolean dpo = method.equals("dpo");
    DatasetFile.Read r = DatasetFile.read(file);
    if (r.problems().isEmpty() && !r.examples().isEmpty()) {
      if (dpo && r.examples().stream().anyMatch(e -> e.rejected() == null)) {
        throw new BadInputException(file + ": --method dpo needs a rejected reply in every example; build one with groundwork dataset build --from preferences");
      }
      return (String.join("\n", DatasetExport.lines(r.examples(), dpo ? "openai-dpo" : "openai")) + "\n").getBytes(StandardCharsets.UTF_8);
    }
    try {
      byte[] raw = Files.readAllBytes(file);
      int n = 0;
      for (String line : new String(raw, StandardCharsets.UTF_8).split("\n")) {
        n++;
        if (line.isBlank()) continue;
        JsonNode j;
        try {
          j = JSON.readTree(line);
        } catch (IOException e) {
          throw new BadInputException(file + ": line " + n + " is not JSON; check it with groundwork dataset check");
        }
        boolean ok = dpo ? j.path("input").path("messages").isArray() && j.path("preferred_output").isArray() && j.path("non_preferred_output").isArray()
            : j.path("messages").isArray();
        if (!ok) {
          throw new BadInputException(file + ": line " + n + (dpo ? " is not a preference pair (input, preferred_output, non_preferred_output)"
              : " has no \"messages\"") + "; export it with groundwork dataset export");
        }
      }
      if (n == 0) throw new BadInputException(file + " is empty");
      return raw;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates {@code parent/stem}, or {@code stem-2}, {@code stem-3}... if taken; creation is atomic, so two processes never share one. */
  static Path claimJobDir(Path parent, String stem) {
    try {
      java.nio.file.Files.createDirectories(parent);
      for (int n = 1; ; n++) {
        Path candidate = parent.resolve(n == 1 ? stem : stem + "-" + n);
        try {
          return java.nio.file.Files.createDirectory(candidate);
        } catch (java.nio.file.FileAlreadyExistsException taken) {
          // next suffix
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot create a job folder under " + parent + ": " + e.getMessage(), e);
    }
  }
}
