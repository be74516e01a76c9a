package dev.groundwork.models.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatRequest;
import dev.groundwork.core.model.ChatResponse;
import dev.groundwork.core.model.ModelException;
import dev.groundwork.core.model.TokenUsage;
import dev.groundwork.core.model.ToolCall;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.FinishReason;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A {@link ChatModel} backed by a LangChain4j chat model and its streaming twin. LangChain4j's own
 * retries are off (retries are a decorator here); every failure becomes a {@link ModelException}
 * whose kind comes from the provider's {@link StatusMapper} for HTTP errors, and from the failure's
 * type otherwise: timeouts are {@code TIMEOUT}, connection failures (refused, reset, a stream cut
 * off) {@code UNAVAILABLE}, and replies that cannot be parsed or end without a finish reason
 * {@code MALFORMED_RESPONSE}. When the provider reports no usage, tokens are counted locally and
 * marked estimated. Thread-safe.
 */
public final class LangChain4jChatModel implements ChatModel {
  /** Maps an HTTP error to a kind; the one place per provider where status codes are interpreted. */
  @FunctionalInterface
  public interface StatusMapper {
    ModelException.Kind kind(int status, String body);
  }

  private final String name;
  private final dev.langchain4j.model.chat.ChatModel chat;
  private final StreamingChatModel streaming;
  private final Function<ChatRequest, ChatRequestParameters> parameters;
  private final Function<dev.langchain4j.model.chat.response.ChatResponse, TokenUsage> usage;
  private final StatusMapper statuses;
  private final ToIntFunction<String> tokens;
  private final int contextWindow;
  private final Duration timeout;

  /**
   * @param name the Groundwork name, e.g. {@code openai:gpt-4.1-mini}
   * @param parameters the provider's request parameters for a request
   * @param usage the provider's usage, or null when it reported none
   * @param tokens counts tokens as the model does, for estimates and context budgets
   * @param timeout the limit for a whole call, streaming included
   */
  public LangChain4jChatModel(String name, dev.langchain4j.model.chat.ChatModel chat, StreamingChatModel streaming,
      Function<ChatRequest, ChatRequestParameters> parameters, Function<dev.langchain4j.model.chat.response.ChatResponse, TokenUsage> usage,
      StatusMapper statuses, ToIntFunction<String> tokens, int contextWindow, Duration timeout) {
    this.name = Objects.requireNonNull(name);
    this.chat = Objects.requireNonNull(chat);
    this.streaming = Objects.requireNonNull(streaming);
    this.parameters = parameters;
    this.usage = usage;
    this.statuses = statuses;
    this.tokens = tokens;
    this.contextWindow = contextWindow;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int countTokens(String text) {
    return tokens.applyAsInt(text);
  }

  @Override
  public int contextWindow() {
    return contextWindow;
  }

  private dev.langchain4j.model.chat.request.ChatRequest toRequest(ChatRequest r) {
    return dev.langchain4j.model.chat.request.ChatRequest.builder().messages(Requests.messages(r.messages())).parameters(parameters.apply(r)).build();
  }

  @Override
  public ChatResponse chat(ChatRequest request) {
    dev.langchain4j.model.chat.request.ChatRequest req = toRequest(request);
    try {
      return toResponse(request, chat.chat(req));
    } catch (ModelException e) {
      throw e;
    } catch (RuntimeException e) {
      throw map(e);
    }
  }

  @Override
  public ChatResponse stream(ChatRequest request, Consumer<String> onToken) {
    dev.langchain4j.model.chat.request.ChatRequest req = toRequest(request);
    CompletableFuture<dev.langchain4j.model.chat.response.ChatResponse> done = new CompletableFuture<>();
    try {
      streaming.chat(req, new StreamingChatResponseHandler() {
        @Override
        public void onPartialResponse(String partial) {
          if (!done.isDone() && partial != null && !partial.isEmpty()) onToken.accept(partial);
        }

        @Override
        public void onCompleteResponse(dev.langchain4j.model.chat.response.ChatResponse response) {
          done.complete(response);
        }

        @Override
        public void onError(Throwable error) {
          done.completeExceptionally(error);
        }
      });
      var response = done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (response.finishReason() == null) {
        throw new ModelException(name, ModelException.Kind.MALFORMED_RESPONSE, "the stream ended before the model finished");
      }
      return toResponse(request, response);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new ModelException(name, ModelException.Kind.TIMEOUT, "no complete reply within " + timeout.toMillis() + " ms", null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelException(name, ModelException.Kind.TIMEOUT, "interrupted", null, e);
    } catch (ExecutionException e) {
      throw map(e.getCause());
    } catch (ModelException e) {
      throw e;
    } catch (RuntimeException e) {
      throw map(e);
    }
  }

  private ChatResponse toResponse(ChatRequest request, dev.langchain4j.model.chat.response.ChatResponse r) {
    var ai = r.aiMessage();
    String text = ai == null || ai.text() == null ? "" : ai.text();
    List<ToolCall> calls = ai == null || !ai.hasToolExecutionRequests() ? List.of()
        : ai.toolExecutionRequests().stream().map(LangChain4jChatModel::toolCall).toList();
    TokenUsage u = usage.apply(r);
    if (u == null || (u.inputTokens() == 0 && u.outputTokens() == 0)) u = TokenUsage.estimate(request, text, tokens);
    String model = r.metadata() != null && r.metadata().modelName() != null ? r.metadata().modelName() : name;
    return new ChatResponse(text, calls, u, model, finish(r.finishReason()));
  }

  private static ToolCall toolCall(ToolExecutionRequest t) {
    return new ToolCall(t.id(), t.name(), t.arguments());
  }

  static String finish(FinishReason f) {
    if (f == null) return null;
    return switch (f) {
      case STOP -> "stop";
      case LENGTH -> "length";
      case TOOL_EXECUTION -> "tool_calls";
      case CONTENT_FILTER -> "content_filter";
      default -> f.name().toLowerCase(Locale.ROOT);
    };
  }

  /** The typed error for a failure anywhere in {@code t}'s cause chain. */
  ModelException map(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ModelException me) return me;
      if (c instanceof HttpStatusException h) {
        return new ModelException(name, statuses.kind(h.statusCode(), h.body()), h.getMessage(), h.retryAfter(), t);
      }
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof dev.langchain4j.exception.TimeoutException || c instanceof java.net.http.HttpTimeoutException) {
        return new ModelException(name, ModelException.Kind.TIMEOUT, "timed out: " + c.getMessage(), null, t);
      }
      if (c instanceof JsonProcessingException) {
        return new ModelException(name, ModelException.Kind.MALFORMED_RESPONSE, "the reply is not valid JSON: " + c.getMessage(), null, t);
      }
      if (c instanceof IOException || c instanceof java.nio.channels.UnresolvedAddressException
          || c instanceof dev.langchain4j.exception.UnresolvedModelServerException) {
        return new ModelException(name, ModelException.Kind.UNAVAILABLE, "cannot reach the model server: " + c, null, t);
      }
    }
    return new ModelException(name, ModelException.Kind.MALFORMED_RESPONSE, "unexpected reply: " + t, null, t);
  }
}
