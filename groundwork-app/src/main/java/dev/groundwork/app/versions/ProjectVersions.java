package dev.groundwork.app.versions;

import dev.groundwork.app.BadInputException;
import dev.groundwork.app.ConfigException;
import dev.groundwork.app.Project;
import dev.groundwork.app.ProjectConfig;
import dev.groundwork.app.ProjectEvals;
import dev.groundwork.core.ingest.IngestListener;
import dev.groundwork.eval.EvalRun;
import dev.groundwork.eval.Suite;
import dev.groundwork.eval.SuiteLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The version registry of one project, with each kind's gate and activation. Configuration versions
 * work now: a version is a groundwork.yaml; its gate validates it, refuses one that would change how
 * the index is built, and runs the project's suites with it (every suite must reach its
 * {@code min_pass_rate}); promoting one writes it as groundwork.yaml, which a running server reloads.
 * The other kinds get their gates with the capabilities that make them.
 */
public final class ProjectVersions {
  private final Project project;
  private final VersionRegistry registry;

  public ProjectVersions(Project project, Clock clock) {
    this.project = project;
    this.registry = new VersionRegistry(project.dataDir().resolve("versions"), clock);
  }

  public VersionRegistry registry() {
    return registry;
  }

  /** Router versions: training, the gate, and the promoted router a learned route reads. */
  public RouterVersions routers() {
    return new RouterVersions(registry, project::embedder);
  }

  /** Fine-tuned models: aliases, candidates and canaries, the model gate, rollback. */
  public ModelVersions models() {
    return new ModelVersions(project, registry);
  }

  /** Retrieval adapters: training, the gate, and the promoted adapter that searches apply. */
  public AdapterVersions adapters() {
    return new AdapterVersions(project, registry);
  }

  /** Stores {@code file} (default groundwork.yaml) as a configuration version, after validating it. */
  public Version addConfig(Path file, String note) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new BadInputException("cannot read " + file + ": " + e.getMessage());
    }
    ProjectConfig cfg = ProjectConfig.load(file); // a bad file is refused here, with its key path
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("answer_model", cfg.answerModel());
    settings.put("retrieval_mode", cfg.retrieval().mode().label());
    settings.put("k", cfg.k());
    settings.put("embedder", cfg.embedder());
    return registry.add(VersionKind.CONFIG, ProjectConfig.FILE, content, Map.of(file.getFileName().toString(), VersionRegistry.sha256(content)),
        settings, Map.of(), note);
  }

  /**
   * Stores {@code file} (null: the project's prompt file, {@code prompts.file}) as a prompt version,
   * after reading it as a prompt set. Promoting one writes it as the prompt file, which a running
   * server reloads; prompt versions need the prompts to live in that file.
   */
  public Version addPrompt(Path file, String note) {
    Path configured = project.config().models().promptFile();
    if (configured == null) {
      throw new BadInputException("the prompts are written in " + ProjectConfig.FILE + ": prompt versions need them in a file of their own; "
          + "move the prompts: section to prompts.yaml and set `prompts: {file: prompts.yaml}`");
    }
    Path f = file != null ? file : configured;
    byte[] content;
    try {
      content = Files.readAllBytes(f);
    } catch (IOException e) {
      throw new BadInputException("cannot read " + f + ": " + e.getMessage());
    }
    var prompt = dev.groundwork.app.ModelsConfig.readPrompts(f); // a bad file is refused here, with its key path
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("prompt_hash", prompt.version());
    settings.put("examples", prompt.examples().size());
    settings.put("style_guide", prompt.style() != null);
    return registry.add(VersionKind.PROMPT, "prompts.yaml", content, Map.of(f.getFileName().toString(), VersionRegistry.sha256(content)), settings,
        Map.of(), note);
  }

  /**
   * Registers a model trained elsewhere (another tool's fine-tune, a local GGUF) as a version of kind
   * {@code model}, served as {@code servedModel}; {@code alias} (or null) is the alias it is made for.
   */
  public Version addModel(String servedModel, String alias, String note) {
    String name = project.config().models().override(servedModel, List.of(), null, null).model(); // checked like --model
    if (name.equals("extractive") || name.startsWith(dev.groundwork.app.ModelsConfig.ROUTE_PREFIX) || ModelVersions.isAlias(name)) {
      throw new BadInputException("a model version is a provider model (PROVIDER:MODEL), got '" + name + "'");
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("provider", name.substring(0, name.indexOf(':')));
    if (alias != null) settings.put("alias", ModelVersions.checkAliasName(alias));
    byte[] artifact = dev.groundwork.app.Json.write(Map.of("model", name)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return registry.add(VersionKind.MODEL, "model.json", artifact, Map.of("model", VersionRegistry.sha256(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
        settings, Map.of(), note != null ? note : "registered " + name);
  }

  /** Runs the kind's gate and, when it passes (or {@code force}), promotes {@code id}. */
  public VersionRegistry.Promotion promote(String id, boolean force) {
    return promote(id, null, force);
  }

  /**
   * As above; a model version is promoted onto {@code alias} (null: the alias it was made for, else
   * {@code default}), which only model versions take.
   */
  public VersionRegistry.Promotion promote(String id, String alias, boolean force) {
    Version v = registry.get(id);
    if (v.kind().equals(VersionKind.MODEL.label())) return models().promote(id, alias != null ? alias : ModelVersions.aliasOf(v), force);
    if (alias != null) throw new BadInputException("--alias is for model versions; " + id + " is a " + v.kind());
    return registry.promote(id, gate(VersionKind.parse(v.kind())), activation(VersionKind.parse(v.kind())), force);
  }

  public Version rollback(VersionKind kind) {
    return rollback(kind, null);
  }

  /** As above; for models, of {@code alias} (null: {@code default}), which only models take. */
  public Version rollback(VersionKind kind, String alias) {
    if (kind == VersionKind.MODEL) return models().rollback(alias != null ? alias : ModelVersions.DEFAULT_ALIAS);
    if (alias != null) throw new BadInputException("--alias is for model; " + kind.label() + " has no aliases");
    return registry.rollback(kind, activation(kind));
  }

  /**
   * What an eval run records about versions: the configuration version whose content is the current
   * groundwork.yaml ({@code unversioned:<sha256 prefix>} when none is), and the promoted version of
   * every other kind.
   */
  public Map<String, Object> fingerprint() {
    Map<String, Object> out = new LinkedHashMap<>();
    Path yaml = project.root().resolve(ProjectConfig.FILE);
    String sha = null;
    try {
      if (Files.isRegularFile(yaml)) sha = VersionRegistry.sha256(Files.readAllBytes(yaml));
    } catch (IOException e) {
      // unreadable: recorded as unknown
    }
    String config = sha == null ? "none" : versionOf(yaml, VersionKind.CONFIG);
    out.put("config_version", config);
    Path prompts = project.config().models().promptFile();
    if (prompts != null) out.put("prompt_file", versionOf(prompts, VersionKind.PROMPT));
    registry.promotedIds().forEach((kind, id) -> {
      // a prompt is recorded by the file's content (above), and prompt_version is the template's hash
      if (!kind.equals(VersionKind.CONFIG.label()) && !kind.equals(VersionKind.PROMPT.label())) {
        out.put(kind.replaceAll("[^A-Za-z0-9@]", "_") + "_version", id);
      }
    });
    return out;
  }

  /** The stored version of {@code kind} whose content is {@code file}'s, else {@code unversioned:<sha256 prefix>} ({@code none} when absent). */
  private String versionOf(Path file, VersionKind kind) {
    String sha;
    try {
      if (!Files.isRegularFile(file)) return "none";
      sha = VersionRegistry.sha256(Files.readAllBytes(file));
    } catch (IOException e) {
      return "unknown"; // unreadable: recorded as unknown
    }
    for (Version v : registry.list(kind)) if (v.sha256().equals(sha)) return v.id();
    return "unversioned:" + sha.substring(0, 12);
  }

  Gate gate(VersionKind kind) {
    return switch (kind) {
      case CONFIG -> this::configGate;
      case PROMPT -> this::promptGate;
      case ROUTER -> routers()::gate;
      case RETRIEVAL_ADAPTER -> adapters()::gate;
      default -> (v, current) -> new Gate.Verdict(false, "no gate for " + kind.label() + " versions yet; they are promoted by the "
          + kind.label() + " commands when those land", Map.of());
    };
  }

  VersionRegistry.Activation activation(VersionKind kind) {
    return switch (kind) {
      case CONFIG -> (v, artifact) -> replace(artifact, project.root().resolve(ProjectConfig.FILE));
      case PROMPT -> (v, artifact) -> {
        Path file = project.config().models().promptFile();
        if (file == null) throw new BadInputException("the prompts are written in " + ProjectConfig.FILE + " (no prompts.file): nothing to write");
        replace(artifact, file);
      };
      default -> (v, artifact) -> { }; // read from the registry's pointer by whatever uses them
    };
  }

  /** Replaces {@code target} whole with {@code artifact}: a server watching it sees the old file or the new one. */
  private static void replace(Path artifact, Path target) throws IOException {
    Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp");
    Files.copy(artifact, tmp, StandardCopyOption.REPLACE_EXISTING);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private Gate.Verdict configGate(Version v, Optional<Version> current) {
    ProjectConfig candidate;
    try {
      candidate = ProjectConfig.load(registry.artifact(v), project.root());
    } catch (ConfigException e) {
      return new Gate.Verdict(false, e.getMessage(), Map.of());
    }
    List<String> changed = Project.indexChanges(project.config(), candidate);
    if (!changed.isEmpty()) {
      return new Gate.Verdict(false, "changes how the index is built (" + String.join(", ", changed)
          + "): run `groundwork ingest --rebuild` with it instead of promoting it into a served project", Map.of());
    }
    return suitesGate(candidate);
  }

  /** A prompt version's gate: the project's suites, answered with the candidate prompt, each at its min_pass_rate. */
  private Gate.Verdict promptGate(Version v, Optional<Version> current) {
    ProjectConfig candidate;
    try {
      var prompt = dev.groundwork.app.ModelsConfig.readPrompts(registry.artifact(v));
      candidate = project.config().withModels(project.config().models().withPrompt(prompt, project.config().models().promptFile()));
    } catch (ConfigException e) {
      return new Gate.Verdict(false, e.getMessage(), Map.of());
    }
    if (candidate.answerModel().equals("extractive")) {
      return new Gate.Verdict(false, "the answer model is extractive, which uses no prompt: nothing for a prompt version to change; "
          + "set answer.model to a language model first, or promote with --force", Map.of());
    }
    return suitesGate(candidate);
  }

  /** Runs the project's suites with {@code candidate}; passes when each reaches its min_pass_rate. */
  private Gate.Verdict suitesGate(ProjectConfig candidate) {
    List<Suite> suites = new ArrayList<>();
    try (Project p = Project.open(project.root(), candidate, false)) {
      for (String s : candidate.suites()) {
        Path path = project.root().resolve(s);
        if (Files.exists(path)) suites.addAll(SuiteLoader.load(path, ProjectEvals.similarity(p), p.judge()));
      }
      if (suites.isEmpty()) {
        return new Gate.Verdict(false, "no suites to gate on (suites: " + candidate.suites() + "); add one, or promote with --force", Map.of());
      }
      p.requireIndex();
      List<EvalRun> runs = ProjectEvals.run(p, suites, p.judge(), null, 1, 1, false, name -> IngestListener.NONE, () -> false);
      Map<String, Object> metrics = new LinkedHashMap<>();
      List<String> failed = new ArrayList<>();
      for (EvalRun r : runs) {
        metrics.put(r.suite() + ".pass_rate", r.passRate());
        metrics.put(r.suite() + ".run", r.id());
        if (!r.succeeded()) failed.add(String.format("%s %.1f%% < %.1f%%", r.suite(), 100 * r.passRate(), 100 * r.minPassRate()));
      }
      String summary = runs.stream().map(r -> String.format("%s %.1f%%", r.suite(), 100 * r.passRate())).reduce((a, b) -> a + ", " + b).orElse("");
      return failed.isEmpty() ? new Gate.Verdict(true, "suites pass: " + summary, metrics)
          : new Gate.Verdict(false, "suites below their min_pass_rate: " + String.join(", ", failed), metrics);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
