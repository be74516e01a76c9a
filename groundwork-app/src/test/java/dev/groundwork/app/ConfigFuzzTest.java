package dev.groundwork.app;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.groundwork.yaml.YamlDocument;

/**
 * Fuzzes groundwork.yaml's loader: any bytes are either a configuration or a {@link ConfigException}
 * naming the file and the field; anything else thrown is a finding. Without {@code JAZZER_FUZZ} it
 * replays the committed seeds as a test.
 */
class ConfigFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void configFile(byte[] data) {
    try {
      ProjectConfig.parse("groundwork.yaml", YamlDocument.parse("groundwork.yaml", data, ConfigException::new));
    } catch (ConfigException e) {
      if (!e.getMessage().contains("groundwork.yaml")) throw new AssertionError("the error does not name the file: " + e.getMessage());
    }
  }
}
