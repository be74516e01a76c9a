package dev.groundwork.cli;

import dev.groundwork.app.ErrorKind;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code groundwork} command. Exit codes: 0 ok, 1 failed checks, 2 usage or input error,
 * 3 partial failure (some files skipped).
 */
@Command(
    name = "groundwork",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
        "Grounded answers over your documents, offline by default.",
        "",
        "Ingest files into a hybrid index (BM25 + vectors), search it, and ask questions that are",
        "answered from the documents with numbered citations, or refused when the documents do not",
        "contain the answer. Configuration: groundwork.yaml (write one with `groundwork init`).",
        ""},
    footer = {"", "Start with `groundwork demo` to see every step on a sample corpus.",
        "Exit codes: 0 ok, 1 failed checks, 2 usage or input error, 3 partial (some files skipped),",
        "4 failed at run time (a model call that failed after retries and fallbacks)."})
public final class Main implements Runnable {
  public static final int OK = 0;
  public static final int FAILED_CHECKS = 1;
  public static final int USAGE = 2;
  public static final int PARTIAL = 3;
  public static final int RUNTIME = 4;

  /**
   * The subcommands, in the order help lists them. Only the one a command line names is registered
   * (picocli builds each command's model by reflection, which cost a third of a second for all of
   * them on every start); help, or an unknown name, registers them all.
   */
  static final java.util.SequencedMap<String, Class<?>> COMMANDS = new java.util.LinkedHashMap<>();

  static {
    for (Class<?> c : List.of(InitCommand.class, IngestCommand.class, SearchCommand.class, AskCommand.class, EvalCommand.class,
        AdviseCommand.class, ServeCommand.class, VersionsCommand.class, KeysCommand.class, LogCommand.class, CostCommand.class, RouterCommand.class, TuneCommand.class, DatasetCommand.class, ModelsCommand.class, DemoCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class)) {
      COMMANDS.put(c.getAnnotation(Command.class).name(), c);
    }
  }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Where progress bars go (stderr, or a test's stream). */
  PrintStream err = System.err;

  /** The error stream of the root command of {@code spec}. */
  static PrintStream err(CommandLine.Model.CommandSpec spec) {
    return spec.root().userObject() instanceof Main m ? m.err : System.err;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /**
   * Lucene says on stderr, at every start, whether it found the Vector API; short commands run
   * without it on purpose (see the launcher), so the line is noise. Held here: a logger nobody
   * references can be collected, and its level with it.
   */
  private static final java.util.logging.Logger LUCENE_VECTORS = java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization");

  public static void main(String[] args) {
    LUCENE_VECTORS.setLevel(java.util.logging.Level.SEVERE);
    System.exit(execute(System.out, System.err, args));
  }

  /** Runs the CLI with the given streams; returns the exit code. */
  public static int execute(PrintStream out, PrintStream err, String... args) {
    Main main = new Main();
    main.err = err;
    CommandLine cl = new CommandLine(main);
    String first = java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
    boolean versionOnly = first.isEmpty() && List.of(args).stream().anyMatch(a -> a.equals("--version") || a.equals("-V"));
    if (COMMANDS.containsKey(first) && !first.equals("help")) {
      System.setProperty(dev.groundwork.app.Project.COMMAND_PROPERTY, "groundwork " + first);
      cl.addSubcommand(first, COMMANDS.get(first));
    } else if (!versionOnly) {
      COMMANDS.forEach(cl::addSubcommand);
    }
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setUsageHelpWidth(100);
    cl.setExitCodeExceptionMapper(e -> USAGE);
    cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("groundwork: error: " + message(e));
      if (System.getenv("GROUNDWORK_DEBUG") != null) e.printStackTrace(commandLine.getErr());
      return exitCode(ErrorKind.of(e));
    });
    cl.setParameterExceptionHandler((e, args1) -> {
      CommandLine c = e.getCommandLine();
      c.getErr().println("groundwork: " + e.getMessage());
      c.getErr().println("Run `" + c.getCommandSpec().qualifiedName() + " --help` for usage.");
      return USAGE;
    });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The one table from error kinds to exit codes (see the README): input problems 2, run-time failures 4. */
  static int exitCode(ErrorKind kind) {
    return switch (kind) {
      case CONFIGURATION, BAD_INPUT, NOT_FOUND, CONFLICT, STORAGE -> USAGE;
      case LIMIT_EXCEEDED, UPSTREAM, INTERRUPTED, INTERNAL -> RUNTIME;
    };
  }

  private static String message(Throwable e) {
    if (e instanceof dev.groundwork.core.model.ModelException me) {
      String hint = switch (me.kind()) {
        case AUTHENTICATION -> " (check the API key)";
        case RATE_LIMITED, SERVER_ERROR, UNAVAILABLE, TIMEOUT -> " (gave up after retries; try again later or add --fallback MODEL)";
        case CONTEXT_LENGTH_EXCEEDED -> " (lower --k or answer.context_tokens, or set models.context_window)";
        default -> "";
      };
      return "model call failed: " + me.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + me.getMessage() + hint;
    }
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"groundwork " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
    }
  }
}
