package dev.groundwork.core.model;

/** A call the model asked for: the tool's name and its arguments as JSON text. */
public record ToolCall(String id, String name, String argumentsJson) {}
