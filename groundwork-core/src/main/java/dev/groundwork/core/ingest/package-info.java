/** The incremental ingest pipeline, source expansion, strict UTF-8 decoding and the embedding cache. */
package dev.groundwork.core.ingest;
