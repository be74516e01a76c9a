package dev.groundwork.cli;

import dev.groundwork.core.ingest.IngestListener;
import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on stderr (rate and ETA) that also prints one line per skipped file. */
final class Progress implements IngestListener, AutoCloseable {
  private final PrintStream err;
  private final String task;
  private final String unit;
  private ProgressBar bar;

  Progress(PrintStream err, String task, String unit) {
    this.err = err;
    this.task = task;
    this.unit = unit;
  }

  @Override
  public void started(int total) {
    bar = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(" " + unit, 1)
        .showSpeed()
        .setUpdateIntervalMillis(500)
        .setMaxRenderedLength(100)
        .setEtaFunction(state -> state.getCurrent() == 0 ? java.util.Optional.empty()
            : java.util.Optional.of(Duration.ofMillis((long) (state.getElapsedAfterStart().toMillis()
                * (double) (state.getMax() - state.getCurrent()) / state.getCurrent()))))
        .setConsumer(new ConsoleProgressBarConsumer(err, 100))
        .build();
  }

  @Override
  public void progressed(int done, String current) {
    if (bar != null) bar.stepTo(done);
  }

  @Override
  public void skipped(String source, String reason) {
    if (bar != null) bar.pause();
    err.println("\rskipped " + source + ": " + reason);
    if (bar != null) bar.resume();
  }

  @Override
  public void close() {
    if (bar != null) bar.close();
  }
}
