package dev.groundwork.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code -C DIR} option every project command takes. */
final class ProjectOption {
  @Option(names = {"-C", "--project"}, paramLabel = "DIR", description = "Project folder (holds groundwork.yaml and .groundwork/). Default: the current directory.")
  Path dir;

  Path root() {
    return dir != null ? dir : Path.of(System.getProperty("user.dir"));
  }
}
