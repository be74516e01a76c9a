package dev.groundwork.app;

import dev.groundwork.core.ingest.IngestListener;
import dev.groundwork.core.ingest.IngestReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Uploads for a served project: each is stored in {@code uploads/} beside groundwork.yaml (so that a
 * later `groundwork ingest uploads` sees the same files) and ingested like any file. One at a time.
 */
public final class ProjectDocuments implements Documents {
  static final String DIR = "uploads";
  private final java.util.function.Supplier<Project> live;

  public ProjectDocuments(Project project) {
    this(() -> project);
  }

  /** Over whichever project {@code live} gives at each call (a server that reloads its configuration). */
  public ProjectDocuments(java.util.function.Supplier<Project> live) {
    this.live = live;
  }

  /** The stored name: the upload's, with the extension its content calls for. */
  static String storedName(String name, String kind) {
    String lower = name.toLowerCase(Locale.ROOT);
    return switch (kind) {
      case "pdf" -> name;
      case "html" -> lower.endsWith(".html") || lower.endsWith(".htm") ? name : name + ".html";
      case "md" -> name;
      default -> lower.endsWith(".txt") ? name : name + ".txt";
    };
  }

  @Override
  public synchronized Ingested ingest(String fileName, String kind, byte[] content) {
    String name = storedName(fileName, kind);
    String id = DIR + "/" + name;
    Project project = live.get();
    Path dir = project.root().resolve(DIR);
    Path file = dir.resolve(name);
    boolean existed = Files.exists(file);
    boolean replaced = project.index().documents().containsKey(id);
    try {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".upload", ".tmp");
      Files.write(tmp, content);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the upload " + id + ": " + e.getMessage(), e);
    }
    IngestReport r = project.ingestPipeline(IngestListener.NONE).ingestPaths(List.of(id));
    if (!r.skipped().isEmpty()) {
      if (!existed) {
        try {
          Files.deleteIfExists(file); // a file that cannot be ingested is not kept for the next ingest to trip on
        } catch (IOException e) {
          // left in place; the next ingest reports it again
        }
      }
      return new Ingested(id, 0, false, r.skipped().get(0).reason());
    }
    return new Ingested(id, r.chunks(), replaced, null);
  }

  @Override
  public synchronized boolean delete(String documentId) {
    Project project = live.get();
    if (!project.index().documents().containsKey(documentId)) return false;
    project.index().deleteDocument(documentId);
    project.index().commit();
    if (documentId.startsWith(DIR + "/")) {
      try {
        Files.deleteIfExists(project.root().resolve(documentId));
      } catch (IOException e) {
        // the index no longer has it; a later ingest would add the file back
      }
    }
    return true;
  }
}
