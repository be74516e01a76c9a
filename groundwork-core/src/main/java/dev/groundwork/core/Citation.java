package dev.groundwork.core;

/**
 * A numbered source an answer points to with {@code [n]}.
 *
 * @param n the number used in the answer text, 1-based
 * @param text the supporting text (the cited sentence for extractive answers, else a snippet)
 */
public record Citation(int n, String source, String chunkId, String heading, Integer page, String text) {}
