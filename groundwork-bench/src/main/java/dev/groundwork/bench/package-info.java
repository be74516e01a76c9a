/** Benchmark runners: BEIR retrieval quality and speed through Groundwork's own ingest and search path. */
package dev.groundwork.bench;
