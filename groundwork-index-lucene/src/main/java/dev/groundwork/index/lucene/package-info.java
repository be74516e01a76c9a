/** The embedded hybrid index on Apache Lucene: BM25 plus HNSW vectors, filters, atomic commits. */
package dev.groundwork.index.lucene;
