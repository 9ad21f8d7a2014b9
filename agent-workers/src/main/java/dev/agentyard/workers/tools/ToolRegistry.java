package dev.agentyard.workers.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.agentyard.workers.provider.ToolDefinition;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Every tool the worker knows, by name, with each tool's input schema compiled once. */
public final class ToolRegistry {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Tool> tools = new LinkedHashMap<>();
  private final Map<String, Schema> inputSchemas = new LinkedHashMap<>();

  public ToolRegistry(Collection<? extends Tool> all) {
    SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    for (Tool t : all) {
      if (tools.putIfAbsent(t.name(), t) != null) {
        throw new IllegalArgumentException("two tools are named " + t.name());
      }
      inputSchemas.put(t.name(), schemas.getSchema(t.inputSchema().toString()));
    }
  }

  /** The tools for loan applications that ship with Agentyard. */
  public static ToolRegistry loanTools() {
    return new ToolRegistry(
        List.of(
            new ExtractFiguresTool(),
            new DebtToIncomeTool(),
            new IdDocumentCheckTool(),
            new NameCrossCheckTool(),
            new ApproveLoanTool()));
  }

  public Optional<Tool> find(String name) {
    return Optional.ofNullable(tools.get(name));
  }

  public Set<String> names() {
    return tools.keySet();
  }

  public ToolDefinition definition(String name) {
    Tool t = tools.get(name);
    return new ToolDefinition(t.name(), t.description(), t.inputSchema());
  }

  /** Validates the input against the tool's schema, then runs it. */
  public JsonNode execute(Tool tool, JsonNode input, ToolContext context) {
    List<Error> errors = inputSchemas.get(tool.name()).validate(input);
    if (!errors.isEmpty()) {
      throw new ToolException(
          "invalid input for "
              + tool.name()
              + ": "
              + errors.stream().limit(5).map(Error::getMessage).collect(Collectors.joining("; ")));
    }
    return tool.execute(input, context);
  }

  static JsonNode schema(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("bad tool schema", e);
    }
  }

  static ObjectMapper json() {
    return JSON;
  }
}
