/**
 * Timings of the steps of one request (retrieval, each model call, the log write), collected on the
 * request's thread without any tracing library; an adapter turns them into spans.
 */
package dev.groundwork.core.trace;
