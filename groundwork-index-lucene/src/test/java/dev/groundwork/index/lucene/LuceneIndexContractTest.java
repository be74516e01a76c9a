package dev.groundwork.index.lucene;

import dev.groundwork.core.spi.Index;
import dev.groundwork.testkit.IndexContract;
import java.nio.file.Path;

/** LuceneIndex passes the index contract, with int8-quantized vectors (the default). */
class LuceneIndexContractTest extends IndexContract {
  @Override
  protected Index open(Path dir) {
    return LuceneIndex.open(dir, new LuceneIndexOptions("contract-embedder", DIM, true, 0.9f, 0.4f, 0.5f));
  }
}
