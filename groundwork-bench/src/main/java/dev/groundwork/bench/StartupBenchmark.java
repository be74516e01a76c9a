package dev.groundwork.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Start-up as users see it: whole processes, one per run, timed from start to exit. Each command is
 * run {@code runs} times without a class cache and {@code runs} times with one (JDK 25+: an AOT cache
 * made by a training run of the first command; JDK 21-24: a CDS archive made by the first run), so
 * the two are measured in the same session and compared as a ratio. CPU time is the children's user +
 * system time from {@code /proc/self/stat} (Linux; NaN elsewhere). Not thread-safe; one run at a time.
 */
public final class StartupBenchmark {
  /** One command's figures; times in milliseconds, medians over the runs. */
  public record Row(String command, double plainMs, double cachedMs, double plainCpuMs, double cachedCpuMs, int failures) {
    public double ratio() {
      return cachedMs / plainMs;
    }
  }

  private final List<String> jvm;
  private final Path work;
  private final int runs;

  /**
   * @param jvm the java binary, its options, and {@code -jar JAR} (or {@code -cp CP MAIN}): everything
   *     before the command's own arguments
   * @param work a folder for the class cache
   */
  public StartupBenchmark(List<String> jvm, Path work, int runs) {
    if (runs < 1) throw new IllegalArgumentException("runs must be >= 1, got " + runs);
    this.jvm = List.copyOf(jvm);
    this.work = work;
    this.runs = runs;
  }

  /** The JVM options that use (or make) the class cache in {@code work}, for a JDK of {@code feature} version. */
  List<String> cacheOptions(int feature, boolean training) {
    if (feature >= 25) {
      Path aot = work.resolve("startup.aot");
      return training ? List.of("-XX:AOTCacheOutput=" + aot, "-Xlog:aot=off", "-Xlog:cds=off")
          : List.of("-XX:AOTCache=" + aot, "-Xlog:aot=off", "-Xlog:cds=off");
    }
    return List.of("-XX:SharedArchiveFile=" + work.resolve("startup.jsa"), "-XX:+AutoCreateSharedArchive", "-Xlog:cds=off");
  }

  /**
   * Measures each command; the first one also trains the cache.
   *
   * @param commands by name, each a list of arguments after the JVM part, in order
   * @param progress told after each process ends (its index, counting from 1)
   */
  public List<Row> run(java.util.SequencedMap<String, List<String>> commands, IntConsumer progress) throws IOException, InterruptedException {
    Files.createDirectories(work);
    int feature = Runtime.version().feature();
    int done = 0;
    // train once on the first command: the cache then holds what a project command loads
    runOnce(withOptions(cacheOptions(feature, true), commands.firstEntry().getValue()));
    List<Row> rows = new ArrayList<>();
    for (var named : commands.entrySet()) {
      List<String> cmd = named.getValue();
      double[] plain = new double[runs];
      double[] cached = new double[runs];
      double[] plainCpu = new double[runs];
      double[] cachedCpu = new double[runs];
      int failures = 0;
      for (int i = 0; i < runs; i++) {
        // alternate the two modes so that drift in the machine's load hits both alike
        double[] p = runOnce(withOptions(List.of(), cmd));
        double[] c = runOnce(withOptions(cacheOptions(feature, false), cmd));
        plain[i] = p[0];
        plainCpu[i] = p[1];
        cached[i] = c[0];
        cachedCpu[i] = c[1];
        failures += (int) (p[2] + c[2]);
        progress.accept(done += 2);
      }
      rows.add(new Row(named.getKey(), median(plain), median(cached), median(plainCpu), median(cachedCpu), failures));
    }
    return rows;
  }

  private List<String> withOptions(List<String> options, List<String> cmd) {
    List<String> all = new ArrayList<>();
    int jar = jvm.indexOf("-jar") >= 0 ? jvm.indexOf("-jar") : jvm.indexOf("-cp");
    all.addAll(jvm.subList(0, jar));
    all.addAll(options);
    all.addAll(jvm.subList(jar, jvm.size()));
    all.addAll(cmd);
    return all;
  }

  /** Runs one process to its end: {wall ms, CPU ms, 1 if it failed else 0}. */
  private static double[] runOnce(List<String> command) throws IOException, InterruptedException {
    double cpu0 = childrenCpuMs();
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    int rc = p.waitFor();
    double wall = (System.nanoTime() - t0) / 1e6;
    return new double[] {wall, childrenCpuMs() - cpu0, rc == 0 ? 0 : 1};
  }

  /** User + system time of this process's waited-for children, in ms; NaN where /proc is missing. */
  static double childrenCpuMs() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after the command name: state is field 3, so cutime (16) and cstime (17) are at 13 and 14 here
      long ticks = Long.parseLong(f[13]) + Long.parseLong(f[14]);
      return ticks * 10.0; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
}
