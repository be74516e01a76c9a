package dev.groundwork.cli;

import dev.groundwork.app.Json;
import dev.groundwork.app.Project;
import dev.groundwork.app.Tuning;
import dev.groundwork.tuning.jobs.TuningJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code groundwork tune start | status | wait | cancel | list}: fine-tuning jobs, for scripts. */
final class TuneJobsCommand {
  private TuneJobsCommand() {}

  static Tuning tuning(Project p) {
    return new Tuning(p, Clock.systemUTC(), ms -> {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new dev.groundwork.app.InterruptedOperationException("interrupted while waiting for the job");
      }
    });
  }

  static void print(PrintWriter out, TuningJob j, boolean json) {
    if (json) {
      out.println(Json.write(j));
      return;
    }
    out.println(j.id() + "  " + j.status() + "  " + j.provider() + ":" + j.baseModel() + (j.fineTunedModel() == null ? "" : "  -> " + j.fineTunedModel())
        + (j.error() == null ? "" : "  error: " + j.error()));
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = {
      "Start a fine-tuning job and print its id. The dataset (from groundwork dataset build, or an exported",
      "train.jsonl) and the validation file are uploaded once: a file already sent to that endpoint is reused.",
      "Providers: together (open models; TOGETHER_API_KEY, TOGETHER_BASE_URL), fireworks (open models;",
      "FIREWORKS_API_KEY, FIREWORKS_ACCOUNT_ID, FIREWORKS_API_URL), openai (OPENAI_API_KEY / OPENAI_BASE_URL,",
      "or models.openai in groundwork.yaml; no new OpenAI jobs after 2027-01-06), and local: trains here, in",
      "the foreground, with the trainer tuning.local.command names (Axolotl, TRL, Unsloth, llama.cpp),",
      "streaming its output; the GGUF it leaves in output/ is registered as a model version served by",
      "llama.cpp. A hosted job's model is registered as together:MODEL, fireworks:MODEL or openai:MODEL.", "",
      "Example:",
      "  $ groundwork tune start --provider together --model meta-llama/Llama-3.2-3B-Instruct --dataset data/support.jsonl --suffix support",
      "  ft-6b1c0a2e-...",
      "  $ groundwork tune start --provider local --model Qwen/Qwen2.5-0.5B-Instruct --dataset data/support.jsonl",
      "  local | step 1/30 loss 1.92 ...",
      "  local-20261203-160210-5be0c1aa succeeded: model-20261203-160233-0c9d2e11 (llamacpp:/.../output/merged.gguf)"})
  static final class Start implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Option(names = "--provider", defaultValue = "together", description = "together, fireworks, openai or local (default: ${DEFAULT-VALUE}).") String provider;

    @Option(names = "--model", required = true, description = "The base model, as the provider names it.") String model;

    @Option(names = "--dataset", required = true, paramLabel = "FILE") Path dataset;

    @Option(names = "--validation", paramLabel = "FILE") Path validation;

    @Option(names = "--method", defaultValue = "sft", description = "sft (default) or dpo.") String method;

    @Option(names = "--epochs", description = "Epochs (default: the provider's, \"auto\").") Integer epochs;

    @Option(names = "--suffix", description = "Added to the tuned model's name.") String suffix;

    @Option(names = "--seed", description = "The provider's training seed.") Long seed;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      String warn = Tuning.providerWarning(provider);
      if (warn != null) Main.err(spec).println("groundwork: note: " + warn);
      try (Project p = Project.open(project.root(), false)) {
        if (provider.equals("local")) {
          if (validation != null || suffix != null || seed != null) {
            throw new dev.groundwork.app.BadInputException("--validation, --suffix and --seed are for hosted providers; a local job splits the dataset itself");
          }
          java.io.PrintStream err = Main.err(spec);
          TuningJob j = tuning(p).startLocal(model, dataset, method, epochs, line -> err.println("local | " + line));
          spec.commandLine().getOut().println(j.id() + " " + j.status() + (j.version() == null ? "" : ": " + j.version() + " (llamacpp:" + j.fineTunedModel() + ")"));
          if (j.error() != null) Main.err(spec).println("groundwork: " + j.error());
          return j.status().equals("succeeded") ? Main.OK : Main.RUNTIME;
        }
        TuningJob j = tuning(p).start(provider, model, dataset, validation, method, epochs, suffix, seed);
        spec.commandLine().getOut().println(j.id());
        return Main.OK;
      }
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = {"A job's state now, as the provider reports it.", "",
      "Example:", "  $ groundwork tune status ftjob-abc123", "  ftjob-abc123  running  openai:gpt-4.1-mini-2025-04-14"})
  static final class Status implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Parameters(index = "0", paramLabel = "JOB") String id;

    @Option(names = "--json") boolean json;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Project p = Project.open(project.root(), false)) {
        print(spec.commandLine().getOut(), tuning(p).status(id), json);
        return Main.OK;
      }
    }
  }

  @Command(name = "wait", mixinStandardHelpOptions = true, description = {
      "Wait for a job to finish, showing each new state on stderr; print the tuned model's name when it",
      "succeeds (exit 0), or the error when it failed or was cancelled (exit 4). Resumes after a restart.", "",
      "Example:", "  $ groundwork tune wait ftjob-abc123", "  ft:gpt-4.1-mini-2025-04-14:groundwork:support:abc123"})
  static final class Wait implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Parameters(index = "0", paramLabel = "JOB") String id;

    @Option(names = "--poll-s", defaultValue = "30", description = "First poll interval; it doubles up to ten times that (default: ${DEFAULT-VALUE}).")
    int poll;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (poll < 0 || poll > 3600) throw new dev.groundwork.app.BadInputException("--poll-s must be in 0..3600, got " + poll);
      try (Project p = Project.open(project.root(), false)) {
        long t0 = System.nanoTime();
        TuningJob j = tuning(p).await(id, Duration.ofSeconds(Math.max(poll, 0)).plusMillis(poll == 0 ? 1 : 0),
            x -> Main.err(spec).printf("groundwork: %s %s after %d s%s%n", x.id(), x.status(), (System.nanoTime() - t0) / 1_000_000_000L,
                x.events().isEmpty() ? "" : " (" + x.events().get(x.events().size() - 1) + ")"));
        if (j.status().equals("succeeded")) {
          spec.commandLine().getOut().println(j.fineTunedModel());
          return Main.OK;
        }
        Main.err(spec).println("groundwork: job " + j.id() + " " + j.status() + (j.error() == null ? "" : ": " + j.error()));
        return 4;
      }
    }
  }

  @Command(name = "cancel", mixinStandardHelpOptions = true, description = {"Cancel a running job.", "", "Example:",
      "  $ groundwork tune cancel ftjob-abc123", "  ftjob-abc123  cancelled  openai:gpt-4.1-mini-2025-04-14"})
  static final class Cancel implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Parameters(index = "0", paramLabel = "JOB") String id;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Project p = Project.open(project.root(), false)) {
        print(spec.commandLine().getOut(), tuning(p).cancel(id), false);
        return Main.OK;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = {"The project's fine-tuning jobs, newest first (as last seen; status refreshes one).",
      "", "Example:", "  $ groundwork tune list", "  ftjob-abc123  succeeded  openai:gpt-4.1-mini-2025-04-14  -> ft:gpt-4.1-mini-2025-04-14:groundwork:support:abc123"})
  static final class ListJobs implements Callable<Integer> {
    @Mixin ProjectOption project;

    @Option(names = "--json") boolean json;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      try (Project p = Project.open(project.root(), false)) {
        var jobs = tuning(p).list();
        if (json) spec.commandLine().getOut().println(Json.write(jobs));
        else for (TuningJob j : jobs) print(spec.commandLine().getOut(), j, false);
        return Main.OK;
      }
    }
  }
}
