package dev.groundwork.app;

import dev.groundwork.core.Answer;
import dev.groundwork.core.answer.AskPipeline;
import dev.groundwork.core.ingest.IngestReport;
import dev.groundwork.core.retrieve.HybridRetriever;
import dev.groundwork.core.retrieve.RetrievalOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A project folder opened as a library: the entry point of the application layer. The CLI and the
 * server are adapters over it; a Java program uses it directly:
 *
 * <pre>{@code
 * try (Groundwork gw = Groundwork.open(Path.of("my-project"))) {
 *   gw.ingest(Requests.Ingest.of("docs"));
 *   Answer a = gw.ask(Requests.Ask.of("How long are dead jobs kept?"));
 *   System.out.println(a.citations().get(0).source());
 * }
 * }</pre>
 *
 * <p>The configuration is read and validated once, when the project is opened, and never changes
 * afterwards. Parts (index, embedder, models) are opened on first use, so a use case pays only for
 * what it needs. Thread-safe. Errors are {@link GroundworkException}s (or lower-layer exceptions that
 * {@link ErrorKind#of} classifies).
 */
public final class Groundwork implements AutoCloseable {
  private final Project project;

  private Groundwork(Project project) {
    this.project = project;
  }

  /** Opens {@code dir} for reading and writing (takes the index's write lock on first use). */
  public static Groundwork open(Path dir) {
    return new Groundwork(Project.open(dir, true));
  }

  /** Opens {@code dir} with {@code config} instead of its groundwork.yaml; {@code writable} false opens the index read-only. */
  public static Groundwork open(Path dir, ProjectConfig config, boolean writable) {
    return new Groundwork(Project.open(dir, config, writable));
  }

  /** The wiring underneath, for the adapters' longer-lived views (the server's answering, uploads and evals). */
  public Project project() {
    return project;
  }

  public ProjectConfig config() {
    return project.config();
  }

  /** Loads, chunks, embeds and indexes; unchanged files are skipped, deleted ones removed. */
  public IngestReport ingest(Requests.Ingest request) {
    if (request.rebuild()) {
      try {
        project.deleteIndex();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the index in " + project.indexDir() + ": " + e.getMessage(), e);
      }
    }
    List<String> sources = request.paths().isEmpty() ? project.config().sources() : request.paths();
    return project.ingestPipeline(request.progress()).ingestPaths(sources);
  }

  /** Ranks the indexed chunks for a query. */
  public SearchResult search(Requests.Search request) {
    project.requireIndex();
    project.preloadEmbedder(); // every retriever holds one, even for BM25
    RetrievalOptions o = retrieval(request.retrieval());
    HybridRetriever retriever = project.retriever(o);
    long t0 = System.nanoTime();
    HybridRetriever.Result r = retriever.search(request.query(), request.k(), request.retrieval().filter());
    return SearchResult.of(request.query(), o.mode().label(), request.k(), r.hits(), (System.nanoTime() - t0) / 1_000_000);
  }

  /** Answers a question from the documents, with citations; streams through {@code onToken} when set. */
  public Answer ask(Requests.Ask request) {
    project.requireIndex();
    project.preloadEmbedder();
    ModelsConfig m = request.model() == null ? project.config().models() : project.config().models().override(request.model(), null, null, null);
    AskPipeline pipeline = project.askPipeline(retrieval(request.retrieval()), request.jsonSchema(), m);
    int k = request.k() != null ? request.k() : project.config().k();
    return request.onToken() == null ? pipeline.ask(request.question(), k, request.retrieval().filter())
        : pipeline.ask(request.question(), k, request.retrieval().filter(), request.onToken());
  }

  private RetrievalOptions retrieval(Requests.Retrieval r) {
    return r.apply(project.config().retrieval(), project.config().rrfK());
  }

  @Override
  public void close() throws IOException {
    project.close();
  }
}
