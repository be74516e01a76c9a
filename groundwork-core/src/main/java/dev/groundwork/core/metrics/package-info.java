/** Retrieval metrics (nDCG, recall, MRR) and percentiles. */
package dev.groundwork.core.metrics;
