package dev.groundwork.eval;

import java.util.List;

/**
 * A named list of cases read from one YAML file.
 *
 * @param k chunks retrieved per case, or null for the project's setting
 * @param minPassRate the share of cases (0..1) that must pass for the run to succeed
 * @param hash SHA-256 of the file's bytes (part of a run's fingerprint)
 */
public record Suite(String name, String file, Integer k, double minPassRate, List<EvalCase> cases, String hash) {
  public Suite {
    cases = List.copyOf(cases);
  }
}
