/**
 * The application layer: {@link dev.groundwork.app.Groundwork} opens a project folder as one facade
 * whose use cases take typed requests ({@link dev.groundwork.app.Requests}) and return typed results;
 * {@link dev.groundwork.app.Project} holds the wiring (index, embedder, models, query log, keys, eval
 * runs) built from {@link dev.groundwork.app.ProjectConfig}. Failures are
 * {@link dev.groundwork.app.GroundworkException}s classified by {@link dev.groundwork.app.ErrorKind}.
 * The CLI and the server are adapters over this package; nothing below it knows about them.
 */
package dev.groundwork.app;
