package dev.groundwork.core.ingest;

import dev.groundwork.core.spi.DelegatingEmbedder;
import dev.groundwork.core.spi.Embedder;
import dev.groundwork.core.spi.Embedding;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An {@link Embedder} decorator that serves document embeddings from an {@link EmbeddingCache}
 * and embeds only the texts it has not seen (in one batch). Query embeddings are not cached.
 */
public final class CachingEmbedder extends DelegatingEmbedder {
  private final EmbeddingCache cache;

  public CachingEmbedder(Embedder delegate, EmbeddingCache cache) {
    super(delegate);
    this.cache = Objects.requireNonNull(cache);
  }

  @Override
  public List<float[]> embedDocuments(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (Embedding e : embed(texts, false)) out.add(e.vector());
    return out;
  }

  @Override
  public List<Embedding> embedDocumentsWithTokens(List<String> texts) {
    return embed(texts, true);
  }

  /** Serves what the cache has (signatures only when asked for) and embeds the rest, caching all of it. */
  private List<Embedding> embed(List<String> texts, boolean withTokens) {
    List<Embedding> out = new ArrayList<>(texts.size());
    List<Integer> missing = new ArrayList<>();
    List<String> missingTexts = new ArrayList<>();
    boolean needTokens = withTokens && delegate.tokenSignatures();
    for (int i = 0; i < texts.size(); i++) {
      Embedding e = cache.get(texts.get(i), withTokens, needTokens); // one cached without a signature is embedded again
      out.add(e);
      if (e == null) {
        missing.add(i);
        missingTexts.add(texts.get(i));
      }
    }
    if (!missingTexts.isEmpty()) {
      List<Embedding> fresh = delegate.embedDocumentsWithTokens(missingTexts);
      for (int j = 0; j < fresh.size(); j++) {
        out.set(missing.get(j), fresh.get(j));
        cache.put(missingTexts.get(j), fresh.get(j));
      }
    }
    return out;
  }
}
