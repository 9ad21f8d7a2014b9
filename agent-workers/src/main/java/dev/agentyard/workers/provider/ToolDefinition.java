package dev.agentyard.workers.provider;

import com.fasterxml.jackson.databind.JsonNode;

/** A tool offered to the model: name, what it does, and the JSON Schema of its input. */
public record ToolDefinition(String name, String description, JsonNode inputSchema) {}
