package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.eval.EvalRun;
import dev.groundwork.eval.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interrupting `groundwork eval` (SIGTERM, as Ctrl-C's SIGINT) stores the finished cases as a partial run. */
class EvalInterruptIT {
  @TempDir Path dir;

  @Test
  void anInterruptedRunKeepsTheFinishedCases() throws Exception {
    assertThat(Cli.run("demo", dir.toString()).code()).isZero();
    StringBuilder suite = new StringBuilder("cases:\n");
    for (int i = 0; i < 2000; i++) {
      suite.append("  - {id: c").append(i).append(", question: \"What is the default visibility timeout?\", assert: [{type: contains, value: 30 seconds}]}\n");
    }
    Files.writeString(dir.resolve("long.yaml"), suite);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "eval", "-C", dir.toString(), "long.yaml")
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (p.isAlive() && System.nanoTime() < deadline && !Files.readString(dir.resolve("child.log")).contains("eval long")) Thread.sleep(50);
    Thread.sleep(1500); // some cases done, most not
    assertThat(p.isAlive()).as(Files.readString(dir.resolve("child.log"))).isTrue();
    p.destroy(); // SIGTERM: the JVM runs its shutdown hooks, like Ctrl-C
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

    List<EvalRun> partial;
    try (Stream<Path> runs = Files.list(dir.resolve(".groundwork/runs"))) {
      partial = runs.filter(f -> f.toString().endsWith(".json")).map(RunStore::read).filter(r -> r.suite().equals("long")).toList();
    }
    assertThat(partial).singleElement().satisfies(r -> {
      assertThat(r.partial()).isTrue();
      assertThat(r.cases().size()).isBetween(1, 1999);
      assertThat(r.succeeded()).isFalse();
    });
  }
}
