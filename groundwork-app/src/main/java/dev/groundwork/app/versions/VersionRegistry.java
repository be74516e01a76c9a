package dev.groundwork.app.versions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.groundwork.app.BadInputException;
import dev.groundwork.app.ConflictException;
import dev.groundwork.app.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The project's versions of everything it learns or chooses, in {@code .groundwork/versions/}: one
 * folder per version ({@code version.json} and its artifact), and {@code promoted.json}, which says
 * which version of each kind is promoted and keeps the history of promotions and rollbacks.
 *
 * <p>Promotion runs the kind's {@link Gate}, then activates the version (for a configuration: writes
 * it as groundwork.yaml) and moves the pointer; {@code promoted.json} is replaced atomically (written
 * aside, then renamed), under a lock that other processes respect, so a reader sees the old pointer
 * or the new one, never half of either. Versions are never changed once written.
 */
public final class VersionRegistry {
  public static final String POINTERS = "promoted.json";
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  /** {@code yyyyMMdd-HHmmss} in UTC: the time part of a version id, and of ids made the same way (tuning jobs). */
  public static String stamp(java.time.Instant t) {
    return STAMP.format(t);
  }
  private static final Object JVM_LOCK = new Object();
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Makes a version current: for a configuration, writes groundwork.yaml. Runs under the registry's lock. */
  @FunctionalInterface
  public interface Activation {
    void activate(Version v, Path artifact) throws IOException;
  }

  /**
   * One line of the history: a promotion, a rollback or a candidate set, from one version to another.
   * {@code kind} is the pointer moved: a kind's label, or a model alias's ({@code model:support},
   * {@code model:support@candidate}).
   */
  public record Change(String time, String kind, String action, String from, String to, boolean forced, String gate,
      Map<String, Object> metrics) {}

  /**
   * The pointer file: the promoted version of each kind (and of each model alias), how it got there,
   * and the share of each alias's traffic its candidate gets.
   */
  record Pointers(String format, int version, Map<String, String> promoted, List<Change> history, Map<String, Double> canary) {
    Pointers {
      promoted = promoted == null ? new LinkedHashMap<>() : new LinkedHashMap<>(promoted);
      history = history == null ? new ArrayList<>() : new ArrayList<>(history);
      canary = canary == null ? new LinkedHashMap<>() : new LinkedHashMap<>(canary);
    }
  }

  /** What a promotion did. */
  public record Promotion(Version version, Gate.Verdict verdict, boolean promoted, String previous) {}

  private final Path dir;
  private final Clock clock;

  public VersionRegistry(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  public Path dir() {
    return dir;
  }

  /**
   * Stores a new version of {@code kind} whose artifact is {@code content}, saved as {@code artifactName};
   * its parent is the version of that kind promoted now.
   */
  public Version add(VersionKind kind, String artifactName, byte[] content, Map<String, String> inputs, Map<String, Object> settings,
      Map<String, Object> metrics, String note) {
    if (artifactName.contains("/") || artifactName.startsWith(".")) throw new BadInputException("artifact name must be a plain file name: " + artifactName);
    String sha = sha256(content);
    String id = kind.label() + "-" + stamp(clock.instant()) + "-" + sha.substring(0, 8);
    return locked(() -> {
      Path vdir = dir.resolve(id);
      if (Files.exists(vdir)) throw new ConflictException("version " + id + " exists already (the same content, the same second)");
      Version v = new Version(Version.FORMAT, 1, id, kind.label(), clock.instant().toString(), read().promoted().get(kind.label()), inputs, settings, metrics,
          note, artifactName, sha);
      Path tmp = Files.createTempDirectory(dir, ".new-");
      Files.write(tmp.resolve(artifactName), content);
      JSON.writeValue(tmp.resolve("version.json").toFile(), v);
      Files.move(tmp, vdir, StandardCopyOption.ATOMIC_MOVE);
      return v;
    });
  }

  /** Every version, newest first; only those of {@code kind} when it is not null. */
  public List<Version> list(VersionKind kind) {
    if (!Files.isDirectory(dir)) return List.of();
    List<Version> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(p -> Files.isRegularFile(p.resolve("version.json"))).toList()) {
        Version v = readVersion(p.resolve("version.json"));
        if (kind == null || v.kind().equals(kind.label())) out.add(v);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the versions in " + dir + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(Version::created).thenComparing(Version::id).reversed());
    return out;
  }

  /** @throws NotFoundException naming the command that lists versions */
  public Version get(String id) {
    if (id.contains("/") || id.contains("\\") || id.startsWith(".")) throw new BadInputException("not a version id: " + id);
    Path f = dir.resolve(id).resolve("version.json");
    if (!Files.isRegularFile(f)) throw new NotFoundException("no version " + id + " (see `groundwork versions list`)");
    return readVersion(f);
  }

  /** The artifact file of {@code v}. */
  public Path artifact(Version v) {
    return dir.resolve(v.id()).resolve(v.artifact());
  }

  /** The version of {@code kind} promoted now, if any. */
  public Optional<Version> promoted(VersionKind kind) {
    return promoted(kind.label());
  }

  /** The version pointer {@code slot} (a kind's label, or a model alias's) names now, if any. */
  public Optional<Version> promoted(String slot) {
    String id = read().promoted().get(slot);
    return id == null ? Optional.empty() : Optional.of(get(id));
  }

  /** The share of alias {@code alias}'s traffic sent to its candidate (0 when none). */
  public double canary(String alias) {
    return read().canary().getOrDefault(alias, 0.0);
  }

  /**
   * Points {@code slot} at {@code id} without a gate (a candidate, which only a canary share of
   * traffic or an explicit {@code NAME@candidate} reaches), and sets {@code alias}'s canary share.
   */
  public void point(String slot, String id, String alias, double canaryShare) {
    Version v = get(id);
    locked(() -> {
      Pointers p = read();
      String before = p.promoted().put(slot, v.id());
      if (canaryShare > 0) p.canary().put(alias, canaryShare);
      else p.canary().remove(alias);
      p.history().add(new Change(clock.instant().toString(), slot, "candidate", before, v.id(), false, null, Map.of("canary", canaryShare)));
      write(p);
      return null;
    });
  }

  /** The promoted version of each kind that has one, by kind label, from one read of the pointer file. */
  public Map<String, String> promotedIds() {
    return java.util.Collections.unmodifiableMap(read().promoted());
  }

  /** The history of promotions and rollbacks, oldest first. */
  public List<Change> history() {
    return List.copyOf(read().history());
  }

  /**
   * Runs {@code gate} on version {@code id}; when it passes (or {@code force}), activates the version
   * and moves its kind's pointer to it. A failed gate changes nothing.
   */
  public Promotion promote(String id, Gate gate, Activation activation, boolean force) {
    return promote(id, VersionKind.parse(get(id).kind()).label(), gate, activation, force);
  }

  /** {@link #promote(String, Gate, Activation, boolean)} onto pointer {@code slot}: a kind's label, or a model alias's. */
  public Promotion promote(String id, String slot, Gate gate, Activation activation, boolean force) {
    Version v = get(id);
    Optional<Version> current = promoted(slot);
    if (current.isPresent() && current.get().id().equals(id)) throw new ConflictException(id + " is already the promoted " + slot);
    // the gate runs outside the lock: it may take minutes (an eval of the suites)
    Gate.Verdict verdict = gate.check(v, current);
    if (!verdict.passed() && !force) return new Promotion(v, verdict, false, current.map(Version::id).orElse(null));
    return locked(() -> {
      Pointers p = read();
      String before = p.promoted().get(slot);
      activation.activate(v, artifact(v));
      p.promoted().put(slot, v.id());
      p.history().add(new Change(clock.instant().toString(), slot, "promote", before, v.id(), !verdict.passed(), verdict.reason(), verdict.metrics()));
      write(p);
      return new Promotion(v, verdict, true, before);
    });
  }

  /**
   * Moves {@code kind}'s pointer back to the version promoted before the current one, and activates it.
   *
   * @return the version promoted now, or null when the kind {@linkplain VersionKind#mayBeAbsent may be absent} and
   *     none was promoted before the current one
   * @throws NotFoundException when nothing of that kind was promoted before
   */
  public Version rollback(VersionKind kind, Activation activation) {
    return rollback(kind, kind.label(), activation);
  }

  /** {@link #rollback(VersionKind, Activation)} of pointer {@code slot}: a kind's label, or a model alias's. */
  public Version rollback(VersionKind kind, String slot, Activation activation) {
    return locked(() -> {
      Pointers p = read();
      String current = p.promoted().get(slot);
      if (current == null) throw new NotFoundException("no " + slot + " version is promoted; nothing to roll back");
      String previous = null;
      for (int i = p.history().size() - 1; i >= 0; i--) {
        Change c = p.history().get(i);
        // the promotion that made the current version current says what was promoted before it
        // (a rollback's own entry does not: rolling back twice steps back twice)
        if (c.kind().equals(slot) && c.action().equals("promote") && current.equals(c.to())) {
          previous = c.from();
          break;
        }
      }
      // a model alias with no version promoted serves the configured answer model, so it may be absent too
      if (previous == null && (kind.mayBeAbsent() || !slot.equals(kind.label()))) {
        // before the first promotion there was none, and none is a valid state of this kind
        p.promoted().remove(slot);
        p.history().add(new Change(clock.instant().toString(), slot, "rollback", current, null, false, null, Map.of()));
        write(p);
        return null;
      }
      if (previous == null) throw new NotFoundException(current + " is the first promoted " + slot + "; there is nothing before it to roll back to");
      Version back = get(previous);
      activation.activate(back, artifact(back));
      p.promoted().put(slot, previous);
      p.history().add(new Change(clock.instant().toString(), slot, "rollback", current, previous, false, null, Map.of()));
      write(p);
      return back;
    });
  }

  public static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Pointers read() {
    try {
      Pointers p = JSON.readValue(dir.resolve(POINTERS).toFile(), Pointers.class);
      if (!"groundwork-versions".equals(p.format()) || p.version() != 1) {
        throw new dev.groundwork.app.ConfigException(dir.resolve(POINTERS) + ": not a groundwork-versions v1 file (format " + p.format() + " v" + p.version() + ")");
      }
      return p;
    } catch (NoSuchFileException | java.io.FileNotFoundException e) {
      return new Pointers("groundwork-versions", 1, null, null, null);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new dev.groundwork.app.ConfigException(dir.resolve(POINTERS) + " is corrupt (" + e.getOriginalMessage() + "); nothing was changed. "
          + "Restore it from a backup: it records which version of each kind is promoted, and their history");
    } catch (IOException e) {
      if (!Files.exists(dir.resolve(POINTERS))) return new Pointers("groundwork-versions", 1, null, null, null);
      throw new UncheckedIOException("cannot read " + dir.resolve(POINTERS) + ": " + e.getMessage(), e);
    }
  }

  private void write(Pointers p) throws IOException {
    Path tmp = Files.createTempFile(dir, ".promoted", ".tmp");
    JSON.writeValue(tmp.toFile(), p);
    try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      c.force(true); // the pointer must not come back empty after a power loss
    }
    Files.move(tmp, dir.resolve(POINTERS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static Version readVersion(Path f) {
    try {
      Version v = JSON.readValue(f.toFile(), Version.class);
      if (!Version.FORMAT.equals(v.format()) || v.version() != 1) {
        throw new dev.groundwork.app.ConfigException(f + ": not a " + Version.FORMAT + " v1 file");
      }
      return v;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new dev.groundwork.app.ConfigException(f + " is corrupt (" + e.getOriginalMessage() + "); nothing was changed. Restore it from a backup, "
          + "or remove its folder " + f.getParent().getFileName() + " if that version is not needed");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    }
  }

  private interface Work<T> {
    T run() throws IOException;
  }

  /** Runs {@code w} holding the registry's lock: other threads and other processes wait. */
  private <T> T locked(Work<T> w) {
    synchronized (JVM_LOCK) {
      try {
        Files.createDirectories(dir);
        try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock ignored = ch.lock()) {
          return w.run();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot update the versions in " + dir + ": " + e.getMessage(), e);
      }
    }
  }
}
