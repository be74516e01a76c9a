package dev.groundwork.cli;

import dev.groundwork.app.Project;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code -C DIR} option every project command takes. */
final class ProjectOption {
  @Option(names = {"-C", "--project"}, paramLabel = "DIR", description = "Project folder (holds groundwork.yaml and .groundwork/). Default: the current directory.")
  Path dir;

  Path root() {
    return dir != null ? dir : Path.of(System.getProperty("user.dir"));
  }

  /** The project's groundwork.yaml (it may not exist: the defaults apply). */
  Path configFile() {
    return root().resolve(dev.groundwork.app.ProjectConfig.FILE);
  }
}
