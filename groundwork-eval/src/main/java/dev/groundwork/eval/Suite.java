package dev.groundwork.eval;

import java.util.List;

/**
 * A named list of cases read from one YAML file.
 *
 * @param k chunks retrieved per case, or null for the project's setting
 * @param minPassRate the share of cases (0..1) that must pass for the run to succeed
 * @param hash SHA-256 of the file's bytes (part of a run's fingerprint)
 * @param model the answer model for this suite ({@code extractive} or {@code provider:model}), or
 *     null for the project's; the command line's {@code --model} wins over both
 */
public record Suite(String name, String file, Integer k, double minPassRate, List<EvalCase> cases, String hash, String model) {
  public Suite {
    cases = List.copyOf(cases);
  }
}
