package dev.groundwork.models.openai;

import dev.groundwork.core.model.ModelSettings;
import dev.groundwork.core.spi.Embedder;
import dev.groundwork.testkit.EmbedderContract;
import dev.groundwork.testkit.FakeOpenAiServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The OpenAI embeddings client passes the embedder contract against the fake server over a socket. */
class OpenAiEmbedderContractTest extends EmbedderContract {
  private FakeOpenAiServer server;

  @Override
  protected Embedder newEmbedder() {
    server = new FakeOpenAiServer();
    return new OpenAiProvider().embedder("my-embedder", // a model whose dimension is learned from the first reply
        new ModelSettings(server.baseUrl(), "test-key", Duration.ofSeconds(2), Duration.ofSeconds(10), null, null, Map.of()));
  }

  /** The fake's vectors come from a hash of the text: they carry no meaning. */
  @Override
  protected boolean semantic() {
    return false;
  }

  @AfterEach
  void stopServer() {
    server.close();
  }
}
