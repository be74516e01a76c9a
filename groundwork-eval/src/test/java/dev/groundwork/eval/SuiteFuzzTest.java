package dev.groundwork.eval;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;

/**
 * Fuzzes the suite loader: any bytes are either a suite or a {@link SuiteException} naming the file
 * and what is wrong; anything else thrown is a finding. Without {@code JAZZER_FUZZ} it replays the
 * committed seeds as a test.
 */
class SuiteFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void suiteFile(byte[] data) {
    try {
      SuiteLoader.parse(Path.of("fuzz.yaml"), data, (a, b) -> 0.5, null);
    } catch (SuiteException e) {
      if (!e.getMessage().contains("fuzz.yaml")) throw new AssertionError("the error does not name the file: " + e.getMessage());
    }
  }
}
