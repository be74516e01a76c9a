package dev.groundwork.embeddings;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Files the embedder needs outside the jar (ONNX Runtime's native libraries, the model graphs),
 * extracted once into a per-user cache instead of on every start: ONNX Runtime would otherwise copy
 * 16 MB of native code to a fresh temporary folder per process, and each model graph (about 34 MB)
 * would be inflated from its jar into the heap. Extraction writes a temporary file and renames it,
 * so a file that exists is whole, and two processes extracting at once both succeed.
 *
 * <p>The cache is {@code $GROUNDWORK_CACHE_DIR}, else {@code $XDG_CACHE_HOME/groundwork}, else
 * {@code ~/.cache/groundwork}. When it cannot be written, callers fall back to the jar.
 */
final class ExtractedFiles {
  private ExtractedFiles() {}

  static Path cacheDir() {
    String own = System.getenv("GROUNDWORK_CACHE_DIR");
    if (own != null && !own.isBlank()) return Path.of(own);
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("groundwork");
  }

  /**
   * The class-path resource {@code name} as a file in {@code folder} of the cache, extracted on first
   * use; the file name carries a hash of where the resource came from (its jar, hence its version).
   *
   * @return empty when the resource does not exist or the cache cannot be written
   */
  static Optional<Path> extract(String resource, String folder) {
    URL url = ExtractedFiles.class.getClassLoader().getResource(resource);
    if (url == null) return Optional.empty();
    String fileName = resource.substring(resource.lastIndexOf('/') + 1);
    String where = url.toString();
    // one folder per source folder (a jar, hence a version): files that load each other sit together
    Path dir = cacheDir().resolve(folder).resolve(hash(where.substring(0, where.lastIndexOf('/'))));
    Path file = dir.resolve(fileName);
    if (Files.isRegularFile(file)) return Optional.of(file);
    try (InputStream in = url.openStream()) {
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + fileName, ".tmp");
      try {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
      return Optional.of(file);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return Optional.empty(); // a read-only home, say: the jar still works
    }
  }

  /**
   * Extracts ONNX Runtime's two native libraries for this platform and points ONNX Runtime at them
   * ({@code onnxruntime.native.path}), unless the user set that property. Call before the first
   * {@code OrtEnvironment}; a platform without bundled libraries is left to ONNX Runtime.
   */
  static synchronized void prepareOnnxRuntime() {
    if (System.getProperty("onnxruntime.native.path") != null) return;
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String platform = (os.contains("linux") ? "linux" : os.contains("mac") ? "osx" : os.contains("win") ? "win" : "other") + "-"
        + (arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch);
    String base = "ai/onnxruntime/native/" + platform + "/";
    Optional<Path> lib = extract(base + System.mapLibraryName("onnxruntime"), "onnxruntime");
    Optional<Path> jni = extract(base + System.mapLibraryName("onnxruntime4j_jni"), "onnxruntime");
    if (lib.isPresent() && jni.isPresent() && lib.get().getParent().equals(jni.get().getParent())) {
      System.setProperty("onnxruntime.native.path", lib.get().getParent().toString());
    }
  }

  /**
   * Where ONNX Runtime's optimized form of the graph {@code model} is kept for this machine: the
   * optimizations depend on the CPU, so the name carries a hash of the CPU's model and feature flags
   * (and of the ONNX Runtime build). Empty where the CPU cannot be identified: then nothing is kept.
   */
  static Optional<Path> optimizedModel(Path model) {
    String cpu = CPU;
    if (cpu == null) return Optional.empty();
    String name = model.getFileName().toString();
    String key = hash(cpu + "|" + System.getProperty("onnxruntime.native.path", "") + "|" + System.getProperty("os.arch"));
    return Optional.of(model.resolveSibling(name.substring(0, name.length() - ".onnx".length()) + ".optimized-" + key + ".onnx"));
  }

  /** Moves a finished temporary file into place; a failure leaves nothing behind and is not an error. */
  static void publish(Path tmp, Path target) {
    try {
      if (Files.size(tmp) > 0) Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // the next start optimizes again
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // a stray temporary file in the cache costs disk only
      }
    }
  }

  /** Read once per process: /proc/cpuinfo does not change under a running JVM. */
  private static final String CPU = cpuFingerprint();

  /** The CPU's model name and flags (Linux), or null. */
  private static String cpuFingerprint() {
    try {
      StringBuilder sb = new StringBuilder();
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
        if (line.startsWith("model name") || line.startsWith("flags") || line.startsWith("Features") || line.startsWith("CPU part")) {
          sb.append(line).append('\n');
          if (line.startsWith("flags") || line.startsWith("Features")) break; // the first processor's lines are enough
        }
      }
      return sb.isEmpty() ? null : sb.toString();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String hash(String s) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
