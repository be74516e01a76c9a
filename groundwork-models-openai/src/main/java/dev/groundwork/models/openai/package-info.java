/**
 * OpenAI-compatible chat completions and embeddings, for OpenAI and every server that speaks its
 * API (vLLM, Ollama, llama.cpp server, LM Studio). Names: {@code openai:MODEL}. Found through
 * {@link dev.groundwork.models.openai.OpenAiProvider}.
 */
package dev.groundwork.models.openai;
