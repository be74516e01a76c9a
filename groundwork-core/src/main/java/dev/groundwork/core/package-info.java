/**
 * Groundwork's domain records: {@link dev.groundwork.core.Document} and its
 * {@link dev.groundwork.core.Block}s, {@link dev.groundwork.core.Chunk}s, scored results and
 * {@link dev.groundwork.core.Answer}s. Records are immutable; collections are copied on construction.
 * This module knows no vendor, file format or network.
 */
package dev.groundwork.core;
