package dev.groundwork.core.ingest;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Expands command-line sources (files, folders, globs such as {@code docs/**.md}) into the files
 * to ingest, and records the scope in which files that no longer exist are to be removed from the
 * index. Symbolic links are followed; a link loop is reported, not followed forever. Hidden files
 * and folders (name starting with '.') are passed over inside folders. Files are returned sorted by id.
 */
public final class SourceFiles {
  /** A file to ingest with its document id. */
  public record Entry(Path path, String id) {}

  /** A source that could not be read, with the reason. */
  public record Problem(String source, String reason) {}

  /**
   * The expansion: files, problems, the ids of explicitly named files that do not exist (deleted, or
   * mistyped), and which stored ids are in scope for deletion.
   */
  public record Expansion(List<Entry> files, List<Problem> problems, List<String> missing, Predicate<String> inScope) {}

  private final Path root;
  private final Set<String> extensions;

  /**
   * @param root the project folder; ids are paths relative to it (absolute for files outside it)
   * @param extensions lower-case extensions to take from folders; explicit files are always taken
   */
  public SourceFiles(Path root, Set<String> extensions) {
    this.root = root.toAbsolutePath().normalize();
    this.extensions = Set.copyOf(extensions);
  }

  public String idOf(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Path rel = abs.startsWith(root) ? root.relativize(abs) : abs;
    return rel.toString().replace('\\', '/');
  }

  public Expansion expand(List<String> sources) {
    TreeMap<String, Entry> files = new TreeMap<>();
    List<Problem> problems = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    List<Predicate<String>> scopes = new ArrayList<>();
    for (String src : sources) {
      if (src.contains("*") || src.contains("?") || src.contains("[") || src.contains("{")) {
        glob(src, files, problems, scopes);
        continue;
      }
      Path p = root.resolve(src).normalize();
      if (Files.isDirectory(p)) {
        String prefix = idOf(p);
        scopes.add(id -> prefix.isEmpty() || id.startsWith(prefix + "/"));
        walk(p, f -> true, files, problems);
      } else if (Files.exists(p)) {
        String id = idOf(p);
        files.put(id, new Entry(p, id));
        scopes.add(id::equals);
      } else {
        String id = idOf(p);
        scopes.add(id::equals); // if it was indexed, it was deleted: remove it from the index too
        missing.add(id);
      }
    }
    return new Expansion(List.copyOf(files.values()), problems, missing, id -> scopes.stream().anyMatch(s -> s.test(id)));
  }

  private void glob(String pattern, TreeMap<String, Entry> files, List<Problem> problems, List<Predicate<String>> scopes) {
    // the folder part before the first wildcard is where the walk starts
    String norm = pattern.replace('\\', '/');
    int wild = firstWildcard(norm);
    int slash = norm.lastIndexOf('/', wild);
    Path base = slash < 0 ? root : root.resolve(norm.substring(0, slash)).normalize();
    String absPattern = (slash < 0 ? root.toString().replace('\\', '/') + "/" + norm
        : base.toString().replace('\\', '/') + norm.substring(slash));
    PathMatcher m = root.getFileSystem().getPathMatcher("glob:" + absPattern);
    scopes.add(id -> m.matches(root.resolve(id).normalize()));
    if (!Files.isDirectory(base)) {
      problems.add(new Problem(pattern, "no such folder: " + idOf(base)));
      return;
    }
    walk(base, m::matches, files, problems);
  }

  private static int firstWildcard(String s) {
    int i = s.length();
    for (char c : new char[] {'*', '?', '[', '{'}) {
      int j = s.indexOf(c);
      if (j >= 0) i = Math.min(i, j);
    }
    return i;
  }

  private void walk(Path dir, Predicate<Path> accept, TreeMap<String, Entry> files, List<Problem> problems) {
    try {
      Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
          if (!d.equals(dir) && d.getFileName().toString().startsWith(".")) return FileVisitResult.SKIP_SUBTREE;
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
          String name = f.getFileName().toString();
          if (name.startsWith(".")) return FileVisitResult.CONTINUE;
          if (attrs.isSymbolicLink()) { // following it failed: the target is gone
            problems.add(new Problem(idOf(f), "broken symbolic link"));
            return FileVisitResult.CONTINUE;
          }
          if (!attrs.isRegularFile()) return FileVisitResult.CONTINUE;
          if (extensions.contains(extension(name)) && accept.test(f.toAbsolutePath().normalize())) {
            String id = idOf(f);
            files.put(id, new Entry(f, id));
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path f, IOException e) {
          String reason = e instanceof FileSystemLoopException ? "symbolic link loop"
              : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
              : e instanceof java.nio.file.NoSuchFileException ? "broken link or vanished file"
              : "unreadable: " + e.getMessage();
          problems.add(new Problem(idOf(f), reason));
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      problems.add(new Problem(idOf(dir), "unreadable folder: " + e.getMessage()));
    }
  }

  /** Lower-case extension without the dot, or "" when none. */
  public static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
  }
}
