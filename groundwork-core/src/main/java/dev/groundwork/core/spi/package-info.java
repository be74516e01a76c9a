/**
 * Service-provider interfaces: roles the pipeline plays, each implemented elsewhere and named for
 * its mechanism ({@code LuceneIndex}, {@code OnnxEmbedder}, {@code ExtractiveAnswerer}...).
 */
package dev.groundwork.core.spi;
