package dev.groundwork.app;

import dev.groundwork.core.answer.SchemaMismatchException;
import dev.groundwork.core.model.ModelException;
import dev.groundwork.eval.SuiteException;
import dev.groundwork.index.lucene.IndexLockedException;
import dev.groundwork.index.lucene.IndexMismatchException;
import dev.groundwork.index.lucene.NoIndexException;
import java.io.UncheckedIOException;
import java.util.NoSuchElementException;

/**
 * What kind of failure an error is, whatever layer threw it. The adapters map a kind, never a
 * message, to their own codes: the CLI to an exit code, the server to an HTTP status.
 */
public enum ErrorKind {
  /** groundwork.yaml or another project setting is wrong; the message names the file and key. */
  CONFIGURATION,
  /** A request, flag or input file is wrong; the message names the field or file. */
  BAD_INPUT,
  /** No such run, document, key or index. */
  NOT_FOUND,
  /** Another process or request holds what this one needs (the index writer, a name in use). */
  CONFLICT,
  /** A rate limit, token limit, size limit or budget was reached. */
  LIMIT_EXCEEDED,
  /** A model or other upstream service failed after retries and fallbacks. */
  UPSTREAM,
  /** The work was stopped (shutdown, Ctrl-C) before it finished. */
  INTERRUPTED,
  /** The project's files could not be read or written. */
  STORAGE,
  /** A bug: anything not classified above. */
  INTERNAL;

  /** The kind of {@code e}: its own for a {@link GroundworkException}, else by the type the lower layers throw. */
  public static ErrorKind of(Throwable e) {
    if (e instanceof GroundworkException g) return g.kind();
    if (e instanceof dev.groundwork.core.budget.BudgetExceededException) return LIMIT_EXCEEDED;
    // a configuration gap the caller meets per request: the model asked for has no price under a budget
    if (e instanceof dev.groundwork.core.budget.UnpricedModelException) return BAD_INPUT;
    if (e instanceof ModelException || e instanceof SchemaMismatchException) return UPSTREAM;
    if (e instanceof SuiteException) return BAD_INPUT;
    if (e instanceof IndexMismatchException) return CONFIGURATION;
    if (e instanceof IndexLockedException) return CONFLICT;
    if (e instanceof NoIndexException) return NOT_FOUND;
    if (e instanceof NoSuchElementException) return NOT_FOUND;
    // the lower layers validate their arguments with IllegalArgumentException, and the app passes
    // user values straight to them (a filter, a fusion name): an input error
    if (e instanceof IllegalArgumentException) return BAD_INPUT;
    if (e instanceof UncheckedIOException) return STORAGE;
    if (e instanceof InterruptedException) return INTERRUPTED;
    return INTERNAL;
  }
}
