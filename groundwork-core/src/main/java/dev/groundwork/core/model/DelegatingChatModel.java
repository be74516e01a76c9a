package dev.groundwork.core.model;

import java.util.Objects;

/**
 * Base of a decorator that adds behaviour around one model's calls (retries, a cache): name, token
 * counting and context window are the wrapped model's.
 */
abstract class DelegatingChatModel implements ChatModel {
  protected final ChatModel delegate;

  protected DelegatingChatModel(ChatModel delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public int countTokens(String text) {
    return delegate.countTokens(text);
  }

  @Override
  public boolean countsExactly() {
    return delegate.countsExactly();
  }

  @Override
  public long inputTokenBound(ChatRequest request) {
    return delegate.inputTokenBound(request);
  }

  @Override
  public int contextWindow() {
    return delegate.contextWindow();
  }
}
