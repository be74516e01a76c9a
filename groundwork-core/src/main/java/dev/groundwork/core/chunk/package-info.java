/** Structure-aware, token-sized chunking, flat or hierarchical (leaves linked to parent sections). */
package dev.groundwork.core.chunk;
