package dev.groundwork.embeddings;

import dev.groundwork.core.spi.Embedder;
import dev.groundwork.testkit.EmbedderContract;

/** The default local model passes the embedder contract. */
class OnnxEmbedderContractTest extends EmbedderContract {
  @Override
  protected Embedder newEmbedder() {
    return OnnxEmbedder.load(EmbeddingModel.DEFAULT, 1);
  }
}
