package dev.groundwork.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's shared real data ({@code ../shared/data}: SciFact, SQuAD, a tiny GGUF model). Tests
 * that need it skip when it is absent, except in CI ({@code CI} set), where its absence fails them.
 */
public final class SharedData {
  private SharedData() {}

  /** The data folder: $GROUNDWORK_SHARED_DATA, else {@code shared/data} found walking up from the working directory; or null. */
  public static Path root() {
    String env = System.getenv("GROUNDWORK_SHARED_DATA");
    if (env != null && Files.isDirectory(Path.of(env))) return Path.of(env);
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path d = p.resolve("shared").resolve("data");
      if (Files.isDirectory(d)) return d;
    }
    return null;
  }

  /** {@code relative} inside the data folder; skips the test when missing outside CI, fails it in CI. */
  public static Path require(String relative) {
    Path root = root();
    Path f = root == null ? null : root.resolve(relative);
    boolean present = f != null && Files.exists(f);
    if (System.getenv("CI") == null) assumeTrue(present, "../shared/data/" + relative + " not found; skipping");
    if (!present) throw new AssertionError("CI must have ../shared/data/" + relative);
    return f;
  }
}
