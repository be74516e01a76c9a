package dev.groundwork.app;

import dev.groundwork.app.versions.VersionRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A served project whose configuration can change while it serves: {@link #refresh()} reads
 * groundwork.yaml and, when its content or that of the prompt file it names changed (an edit, or
 * {@code groundwork versions promote}),
 * swaps in a project with the new configuration that shares the open index, embedder and database.
 * Requests that started before the swap finish on the configuration they started with; none is
 * dropped. A file that does not validate, or that would change how the index is built, is reported
 * and ignored: the server keeps serving the configuration it has. Thread-safe.
 */
public final class LiveProject implements AutoCloseable {
  private final Project original;
  private final AtomicReference<Project> current;
  private final ProjectAnswering answering;
  private final Consumer<String> log;
  private final Path file;
  private volatile String seen;
  private volatile Thread watcher;

  /** @param log told (one line each) when the configuration is reloaded or a change is refused */
  public LiveProject(Project project, Consumer<String> log) {
    this.original = project;
    this.current = new AtomicReference<>(project);
    this.answering = new ProjectAnswering(project);
    this.log = log;
    this.file = project.root().resolve(ProjectConfig.FILE);
    this.seen = hash();
  }

  public Project project() {
    return current.get();
  }

  /** The server's answering, always through the configuration in force when a request starts. */
  public Answering answering() {
    return answering;
  }

  public Documents documents() {
    return new ProjectDocuments(this::project);
  }

  public Evals evals() {
    return new ProjectEvals(this::project);
  }

  /**
   * Reloads groundwork.yaml if its content changed since it was last read.
   *
   * @return true when a new configuration is now in force
   */
  public synchronized boolean refresh() {
    String now = hash();
    if (now == null || now.equals(seen)) return false;
    seen = now;
    ProjectConfig cfg;
    Project next;
    try {
      cfg = ProjectConfig.load(file);
      next = current.get().withConfig(cfg);
    } catch (ConfigException e) {
      log.accept("groundwork: kept the running configuration: " + e.getMessage());
      return false;
    }
    current.set(next);
    answering.reload(next);
    log.accept("groundwork: reloaded " + file.getFileName() + " (models: " + String.join(", ", answering.models()) + ")");
    return true;
  }

  /** Checks groundwork.yaml every {@code every} on a daemon thread, until {@link #close()}. */
  public void watch(Duration every) {
    Thread t = Thread.ofPlatform().daemon().name("groundwork-config-watch").start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(every.toMillis());
          refresh();
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          log.accept("groundwork: config reload failed: " + e);
        }
      }
    });
    watcher = t;
  }

  private String hash() {
    try {
      String h = Files.isRegularFile(file) ? VersionRegistry.sha256(Files.readAllBytes(file)) : "absent";
      Project p = current == null ? null : current.get();
      Path prompts = p == null ? null : p.config().models().promptFile();
      if (prompts != null) h += "+" + (Files.isRegularFile(prompts) ? VersionRegistry.sha256(Files.readAllBytes(prompts)) : "absent");
      return h;
    } catch (IOException e) {
      return null; // unreadable for a moment (being replaced): try again next time
    }
  }

  /** Stops watching and closes the project's files (the reloaded copies share them). */
  @Override
  public void close() throws IOException {
    Thread t = watcher;
    if (t != null) t.interrupt();
    original.close();
  }
}
