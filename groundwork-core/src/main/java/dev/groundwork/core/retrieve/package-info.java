/** Hybrid retrieval: BM25 and dense rankings, their fusion, and auto-merge of hierarchical leaves. */
package dev.groundwork.core.retrieve;
