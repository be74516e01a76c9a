package dev.groundwork.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/find-jdk.sh, which ./mvnw and ./groundwork source, run against fake JDK folders. */
class FindJdkTest {
  @TempDir Path dir;

  Path fakeJdk(String name, int version) throws Exception {
    Path home = dir.resolve(name);
    Files.createDirectories(home.resolve("bin"));
    for (String tool : new String[] {"java", "javac"}) {
      Path p = home.resolve("bin").resolve(tool);
      Files.writeString(p, "#!/bin/sh\necho '    java.specification.version = " + version + "' >&2\n");
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return home;
  }

  record Result(int code, String out) {}

  Result run(Map<String, String> env) throws Exception {
    Path script = Path.of("..", "bin", "find-jdk.sh").toAbsolutePath().normalize();
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", ". \"$0\" && echo \"JAVA_HOME=$JAVA_HOME\"", script.toString());
    pb.environment().remove("JAVA_HOME");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  @Test
  void picksTheNewestJdk21PlusAndIgnoresAnOlderJavaHome() throws Exception {
    Path old = fakeJdk("jdk-17", 17);
    fakeJdk("jdk-21", 21);
    Path newest = fakeJdk("jdk-25", 25);
    Result r = run(Map.of("GROUNDWORK_JDK_DIRS", dir + "/*", "JAVA_HOME", old.toString()));
    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).contains("JAVA_HOME=" + newest);
  }

  @Test
  void aQualifyingJavaHomeWins() throws Exception {
    Path jdk21 = fakeJdk("jdk-21", 21);
    fakeJdk("jdk-25", 25);
    assertThat(run(Map.of("GROUNDWORK_JDK_DIRS", dir + "/*", "JAVA_HOME", jdk21.toString())).out()).contains("JAVA_HOME=" + jdk21);
  }

  @Test
  void failsWithAClearMessageWhenThereIsNoJdk21() throws Exception {
    fakeJdk("jdk-17", 17);
    Result r = run(Map.of("GROUNDWORK_JDK_DIRS", dir + "/*"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).contains("no JDK 21 or newer found").contains("set JAVA_HOME");
  }

  @Test
  void theReleaseFileGivesTheVersionWithoutStartingTheJdk() throws Exception {
    fakeJdk("jdk-21", 21);
    Path withRelease = fakeJdk("jdk-26", 17); // its java would say 17; its release file says 26
    Files.writeString(withRelease.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"26.0.1\"\n");
    Path marker = dir.resolve("java-was-run");
    Files.writeString(withRelease.resolve("bin/java"), "#!/bin/sh\ntouch '" + marker + "'\necho '    java.specification.version = 17' >&2\n");
    Result r = run(Map.of("GROUNDWORK_JDK_DIRS", dir + "/*"));
    assertThat(r.out()).contains("JAVA_HOME=" + withRelease);
    assertThat(marker).as("the JDK with a release file was not started to learn its version").doesNotExist();
  }
}
