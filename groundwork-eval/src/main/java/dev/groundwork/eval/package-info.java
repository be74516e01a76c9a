/**
 * Evaluation: YAML suites of cases with assertions, a runner that checks each answer, stored runs
 * with a fingerprint of what produced them, and reports.
 */
package dev.groundwork.eval;
