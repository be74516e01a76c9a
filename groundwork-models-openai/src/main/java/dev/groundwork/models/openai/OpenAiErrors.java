package dev.groundwork.models.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.groundwork.core.model.ModelException.Kind;
import java.util.Locale;

/** OpenAI's HTTP errors as kinds: the one place where this provider's status codes are read. */
final class OpenAiErrors {
  private OpenAiErrors() {}

  /** @param body the error body, {@code {"error": {"message", "type", "code"}}} when it is OpenAI's shape */
  static Kind kind(int status, String body) {
    JsonNode err = parse(body).path("error");
    String code = err.path("code").asText("") + " " + err.path("type").asText("");
    String message = err.path("message").asText(body == null ? "" : body).toLowerCase(Locale.ROOT);
    if (status == 429) return code.contains("insufficient_quota") ? Kind.QUOTA_EXCEEDED : Kind.RATE_LIMITED;
    if (status == 401 || status == 403) return Kind.AUTHENTICATION;
    if (status == 408) return Kind.TIMEOUT;
    if (status >= 500) return status == 503 ? Kind.UNAVAILABLE : Kind.SERVER_ERROR;
    if (code.contains("context_length_exceeded") || message.contains("maximum context length")) return Kind.CONTEXT_LENGTH_EXCEEDED;
    if (code.contains("content_filter") || message.contains("content management policy")) return Kind.CONTENT_FILTER;
    return Kind.BAD_REQUEST;
  }

  private static JsonNode parse(String body) {
    try {
      return body == null ? OpenAiHttp.JSON.missingNode() : OpenAiHttp.JSON.readTree(body);
    } catch (Exception e) {
      return OpenAiHttp.JSON.missingNode();
    }
  }
}
