package dev.groundwork.core.model;

import java.util.Optional;

/** Where {@link CachingChatModel} keeps replies, by request key. Implementations are thread-safe. */
public interface ResponseStore {
  Optional<ChatResponse> get(String key);

  /** Stores a successful reply; a failure to store is not an error for the caller. */
  void put(String key, ChatResponse response);
}
