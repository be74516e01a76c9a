/**
 * A local GGUF model run in-process by llama.cpp (through java-llama.cpp), named
 * {@code llamacpp:PATH.gguf} or {@code llamacpp:NAME} for a model in the models folder, and the
 * downloader behind {@code groundwork models pull}: a built-in {@link dev.groundwork.models.llamacpp.ModelCatalog}
 * of small instruct models, resumable downloads and checksum checks.
 */
package dev.groundwork.models.llamacpp;
