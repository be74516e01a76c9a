/**
 * The HTTP API ({@code groundwork serve}): an OpenAI-compatible {@code /v1/chat/completions} that
 * answers the last user message with RAG, {@code /v1/models}, {@code /v1/embeddings}, the JSON API
 * ({@code /api/ask}, {@code /api/search}, {@code /api/feedback}, {@code /api/queries}), health,
 * readiness and Prometheus metrics. Every answer is recorded in the query log.
 */
package dev.groundwork.server;
