package dev.groundwork.models.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.testkit.SharedData;
import dev.groundwork.testkit.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufMetadataTest {
  @TempDir Path dir;

  @Test
  void readsTheTemplateAndTheEndTokensOfAWrittenHeader() throws Exception {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("general.architecture", "qwen2");
    h.put("tokenizer.ggml.tokens", List.of("<unk>", "hello", "<|im_end|>", "<|endoftext|>"));
    h.put("tokenizer.chat_template", "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}");
    h.put("tokenizer.ggml.eos_token_id", 3L);
    h.put("tokenizer.ggml.eot_token_id", 2L);
    GgufMetadata m = GgufMetadata.read(TinyGguf.write(dir.resolve("m.gguf"), h));
    assertThat(m.version()).isEqualTo(3);
    assertThat(m.architecture()).isEqualTo("qwen2");
    assertThat(m.chatTemplate()).contains("<|im_start|>");
    assertThat(m.eosTokenId()).isEqualTo(3L);
    assertThat(m.eosToken()).isEqualTo("<|endoftext|>");
    assertThat(m.eotToken()).isEqualTo("<|im_end|>");
    assertThat(m.vocabulary()).isEqualTo(4);
  }

  @Test
  void theSharedStoriesModelHasAnEndTokenButNoTemplate() throws Exception {
    GgufMetadata m = GgufMetadata.read(SharedData.require("tinyllamas-stories260K/stories260K.gguf"));
    assertThat(m.architecture()).isEqualTo("llama");
    assertThat(m.chatTemplate()).isNull();
    assertThat(m.eosToken()).isEqualTo("</s>");
    assertThat(m.vocabulary()).isEqualTo(512);
  }

  @Test
  void whatIsNotAGgufHeaderIsNamed() throws Exception {
    Files.writeString(dir.resolve("x.gguf"), "not a model");
    assertThatThrownBy(() -> GgufMetadata.read(dir.resolve("x.gguf"))).hasMessageContaining("is not a GGUF file");
    byte[] whole = Files.readAllBytes(TinyGguf.write(dir.resolve("t.gguf"), Map.of("tokenizer.chat_template", "a long template text")));
    Files.write(dir.resolve("cut.gguf"), java.util.Arrays.copyOf(whole, whole.length - 5));
    assertThatThrownBy(() -> GgufMetadata.read(dir.resolve("cut.gguf"))).hasMessageContaining("ends early");
  }
}
