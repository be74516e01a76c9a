package dev.groundwork.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStoreTest {
  @TempDir Path dir;

  private static EvalRun run(String id, double seconds) {
    return new EvalRun(EvalRun.FORMAT, 1, id, "s", "2026-12-04T19:00:00Z", seconds, 0.5, false, Map.of(), List.of(), null);
  }

  @Test
  void twoRunsStartedInTheSameMillisecondAreBothKept() throws Exception {
    RunStore store = new RunStore(dir);
    int n = 8;
    List<Future<EvalRun>> saved = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
      for (int i = 0; i < n; i++) {
        double seconds = i;
        saved.add(pool.submit(() -> store.saveNew(run("20261204-190000-000-s", seconds))));
      }
    }
    List<String> ids = new ArrayList<>();
    for (Future<EvalRun> f : saved) ids.add(f.get().id());
    assertThat(ids).doesNotHaveDuplicates().contains("20261204-190000-000-s", "20261204-190000-000-s-2");
    // every run is stored under the id it was given, with its own content
    List<EvalRun> listed = store.list();
    assertThat(listed).hasSize(n);
    assertThat(listed).extracting(EvalRun::seconds).containsExactlyInAnyOrder(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0);
    for (EvalRun r : listed) assertThat(store.byId(r.id())).isEqualTo(r);
  }

  @Test
  void theLastRunIsFoundPastFilesThatAreNotRuns() throws Exception {
    RunStore store = new RunStore(dir);
    store.saveNew(run("20261204-190000-000-s", 1));
    store.saveNew(run("20261204-190500-000-s", 2));
    java.nio.file.Files.writeString(dir.resolve("notes.json"), "{\"hello\": 1}");
    java.nio.file.Files.createFile(dir.resolve("20261204-191000-000-s.json")); // a name claimed, not yet written
    assertThat(store.find("last", "s", null).id()).isEqualTo("20261204-190500-000-s");
    assertThat(store.find("last", "s", "20261204-190500-000-s").id()).isEqualTo("20261204-190000-000-s");
  }
}
