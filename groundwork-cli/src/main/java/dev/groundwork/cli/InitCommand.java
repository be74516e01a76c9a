package dev.groundwork.cli;

import dev.groundwork.app.ProjectConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "init", mixinStandardHelpOptions = true, description = {"Write a commented groundwork.yaml with the defaults.", "",
    "Example:", "  $ groundwork init", "  wrote /home/me/project/groundwork.yaml"})
final class InitCommand implements Callable<Integer> {
  @Mixin ProjectOption project;

  @Option(names = "--force", description = "Overwrite an existing groundwork.yaml.")
  boolean force;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Path file = project.root().resolve(ProjectConfig.FILE);
    if (Files.exists(file) && !force) {
      spec.commandLine().getErr().println("groundwork: " + file + " already exists; use --force to overwrite it");
      return Main.USAGE;
    }
    Files.createDirectories(project.root());
    Files.writeString(file, ProjectConfig.template());
    spec.commandLine().getOut().println("wrote " + file.toAbsolutePath().normalize());
    return Main.OK;
  }
}
