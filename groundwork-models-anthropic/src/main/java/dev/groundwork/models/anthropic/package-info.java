/**
 * The Anthropic Messages API. Names: {@code anthropic:MODEL}. Found through
 * {@link dev.groundwork.models.anthropic.AnthropicProvider}.
 */
package dev.groundwork.models.anthropic;
