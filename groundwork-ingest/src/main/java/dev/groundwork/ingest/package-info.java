/** Loaders that turn text, Markdown, HTML and PDF files into documents with structure and offsets. */
package dev.groundwork.ingest;
