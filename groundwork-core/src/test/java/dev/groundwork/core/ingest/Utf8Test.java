package dev.groundwork.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.spi.LoadException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
  @Test
  void decodesUtf8AndDropsTheBom() throws Exception {
    assertThat(Utf8.decode("\uFEFFcafé".getBytes(StandardCharsets.UTF_8))).isEqualTo("café");
  }

  @Test
  void rejectsInvalidUtf8WithTheOffset() {
    byte[] latin1 = "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> Utf8.decode(latin1)).isInstanceOf(LoadException.class).hasMessageContaining("invalid UTF-8 at byte 3");
  }

  @Test
  void rejectsBinary() {
    assertThatThrownBy(() -> Utf8.decode(new byte[] {'a', 0, 'b'})).hasMessageContaining("binary");
  }
}
