package dev.groundwork.app.versions;

import dev.groundwork.app.BadInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of versions the registry keeps; each has its own promotion gate. */
public enum VersionKind {
  /** groundwork.yaml: promoting one writes it as the project's configuration. */
  CONFIG,
  /** A prompt set (the {@code prompts:} section); gated like a configuration. */
  PROMPT,
  /** A learned query-side embedding adapter. */
  RETRIEVAL_ADAPTER,
  /** A trained router and its calibration. */
  ROUTER,
  /** A fine-tuned or distilled model, by the name it is served under. */
  MODEL;

  /** The name used on the command line and in files: {@code config}, {@code retrieval-adapter}, ... */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether the project works with none of this kind promoted (then rolling back the first one leaves none). */
  public boolean mayBeAbsent() {
    return this == RETRIEVAL_ADAPTER;
  }

  /** @throws BadInputException naming the accepted kinds */
  public static VersionKind parse(String s) {
    for (VersionKind k : values()) if (k.label().equals(s)) return k;
    throw new BadInputException("unknown version kind '" + s + "'; accepted: "
        + Arrays.stream(values()).map(VersionKind::label).collect(Collectors.joining(", ")));
  }
}
