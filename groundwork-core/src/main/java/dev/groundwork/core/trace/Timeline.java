package dev.groundwork.core.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The timed sections of the request running on the current thread: retrieval, each model call, the
 * log write. An adapter {@link #begin()}s one per request and {@link #end()}s it; the mechanisms
 * {@link #record} into it. Outside a request (the CLI, a library call) recording costs one
 * thread-local read and keeps nothing. A timeline belongs to one thread; its sections list is not
 * shared.
 */
public final class Timeline {
  /**
   * @param startEpochNanos wall-clock start, nanoseconds since the epoch
   * @param attributes string, number or boolean values
   * @param error the error's type and message when the section failed, else null
   */
  public record Section(String name, long startEpochNanos, long endEpochNanos, Map<String, Object> attributes, String error) {
    public Section {
      attributes = Map.copyOf(attributes);
    }
  }

  private static final ThreadLocal<Timeline> CURRENT = new ThreadLocal<>();
  /** Wall clock at class load, and the monotonic clock then: sections keep monotonic durations on a wall-clock axis. */
  private static final long EPOCH_BASE = System.currentTimeMillis() * 1_000_000L;
  private static final long NANO_BASE = System.nanoTime();

  private final List<Section> sections = new ArrayList<>();

  private Timeline() {}

  /** Starts a timeline for the current thread's request (replacing any left over). */
  public static Timeline begin() {
    Timeline t = new Timeline();
    CURRENT.set(t);
    return t;
  }

  /** Ends the current thread's timeline and returns it, or null when none was begun. */
  public static Timeline end() {
    Timeline t = CURRENT.get();
    CURRENT.remove();
    return t;
  }

  /** Whether a timeline is collecting on this thread: callers can skip building attributes when not. */
  public static boolean active() {
    return CURRENT.get() != null;
  }

  /** {@link System#nanoTime()} on the wall-clock axis sections use. */
  public static long epochNanos(long nanoTime) {
    return EPOCH_BASE + (nanoTime - NANO_BASE);
  }

  /** Records a section that ran from {@code startNanoTime} until now ({@link System#nanoTime()} values); nothing when no timeline is active. */
  public static void record(String name, long startNanoTime, Map<String, Object> attributes, Throwable error) {
    Timeline t = CURRENT.get();
    if (t == null) return;
    long end = System.nanoTime();
    t.sections.add(new Section(name, epochNanos(startNanoTime), epochNanos(end), attributes,
        error == null ? null : error.getClass().getSimpleName() + ": " + error.getMessage()));
  }

  /** The sections recorded so far, in the order they ended. */
  public List<Section> sections() {
    return List.copyOf(sections);
  }
}
