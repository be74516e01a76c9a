package dev.groundwork.core.ingest;

import java.util.List;

/**
 * The outcome of one ingest run.
 *
 * @param files items considered (files found, or documents given)
 * @param added documents new to the index
 * @param updated documents whose content changed and were re-indexed
 * @param unchanged documents skipped because their hash matched
 * @param deleted documents removed because their file is gone
 * @param chunks leaf chunks written in this run
 * @param embedded texts the model embedded (cache misses)
 * @param cached texts served from the embedding cache
 * @param skipped files not ingested, each with a one-line reason
 */
public record IngestReport(
    int files, int added, int updated, int unchanged, int deleted, int chunks, int embedded, int cached,
    List<SourceFiles.Problem> skipped, double seconds) {
  public IngestReport {
    skipped = List.copyOf(skipped);
  }
}
