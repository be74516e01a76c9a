/**
 * The generative-model SPI: {@link dev.groundwork.core.model.ChatModel} with requests, responses,
 * tool calls and typed errors, the decorators that wrap it (retries, fallback), prices and costs,
 * and the parsing of citations from model text. No provider lives here.
 */
package dev.groundwork.core.model;
