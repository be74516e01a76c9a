/** Local ONNX embedders (bge-small-en-v1.5, all-MiniLM-L6-v2, quantized or not) shipped in Maven artifacts. */
package dev.groundwork.embeddings;
