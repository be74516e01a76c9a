package dev.groundwork.models.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.groundwork.core.model.ChatMessage;
import dev.groundwork.core.model.ChatRequest;
import dev.groundwork.core.model.ToolCall;
import dev.groundwork.core.model.ToolSpec;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Maps Groundwork's chat requests to LangChain4j's. Stateless. */
public final class Requests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Requests() {}

  public static List<dev.langchain4j.data.message.ChatMessage> messages(List<ChatMessage> in) {
    Map<String, String> toolNames = new HashMap<>();
    List<dev.langchain4j.data.message.ChatMessage> out = new ArrayList<>();
    for (ChatMessage m : in) {
      switch (m.role()) {
        case SYSTEM -> out.add(SystemMessage.from(m.content()));
        case USER -> out.add(UserMessage.from(m.content()));
        case ASSISTANT -> {
          if (m.toolCalls().isEmpty()) {
            out.add(AiMessage.from(m.content()));
          } else {
            List<ToolExecutionRequest> calls = new ArrayList<>();
            for (ToolCall c : m.toolCalls()) {
              toolNames.put(c.id(), c.name());
              calls.add(ToolExecutionRequest.builder().id(c.id()).name(c.name()).arguments(c.argumentsJson()).build());
            }
            AiMessage.Builder b = AiMessage.builder().toolExecutionRequests(calls);
            if (!m.content().isEmpty()) b.text(m.content());
            out.add(b.build());
          }
        }
        case TOOL -> out.add(ToolExecutionResultMessage.from(m.toolCallId(), toolNames.getOrDefault(m.toolCallId(), "tool"), m.content()));
      }
    }
    return out;
  }

  /** Fills the parameters every provider shares into {@code b}. */
  public static <B extends DefaultChatRequestParameters.Builder<?>> B parameters(B b, ChatRequest r, String wireModel, boolean responseSchema) {
    b.modelName(wireModel);
    b.temperature(r.temperature());
    b.maxOutputTokens(r.maxTokens());
    if (!r.tools().isEmpty()) b.toolSpecifications(r.tools().stream().map(Requests::tool).toList());
    if (responseSchema && r.responseSchema() != null) {
      b.responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON)
          .jsonSchema(JsonSchema.builder().name("answer").rootElement(JsonRawSchema.from(r.responseSchema())).build()).build());
    }
    return b;
  }

  /** A tool whose parameters schema is passed through property by property, as written. */
  static ToolSpecification tool(ToolSpec t) {
    JsonNode schema;
    try {
      schema = JSON.readTree(t.parametersSchema());
    } catch (IOException e) {
      throw new IllegalArgumentException("tool " + t.name() + ": parameters schema is not JSON: " + e.getMessage());
    }
    if (!schema.path("type").asText("object").equals("object")) {
      throw new IllegalArgumentException("tool " + t.name() + ": parameters schema must be an object schema");
    }
    JsonObjectSchema.Builder params = JsonObjectSchema.builder();
    schema.path("properties").properties().forEach(p -> params.addProperty(p.getKey(), JsonRawSchema.from(p.getValue().toString())));
    List<String> required = new ArrayList<>();
    schema.path("required").forEach(n -> required.add(n.asText()));
    if (!required.isEmpty()) params.required(required);
    if (schema.has("description")) params.description(schema.get("description").asText());
    return ToolSpecification.builder().name(t.name()).description(t.description()).parameters(params.build()).build();
  }
}
