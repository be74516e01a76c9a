package dev.groundwork.models.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.core.model.ChatMessage;
import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatRequest;
import dev.groundwork.core.model.ChatResponse;
import dev.groundwork.core.model.ModelException;
import dev.groundwork.core.model.ModelRegistry;
import dev.groundwork.core.model.ModelSettings;
import dev.groundwork.testkit.SharedData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real stories260K GGUF model through llama.cpp. */
class LlamaCppChatModelIT {
  static final ChatRequest REQ = new ChatRequest(List.of(ChatMessage.user("Once upon a time")), 0.0, 40, List.of(), null, 42L);

  @Test
  void greedyDecodingGivesTheSameTextTwiceAndStreamsIt() {
    Path gguf = SharedData.require("tinyllamas-stories260K/stories260K.gguf");
    ChatModel m = ModelRegistry.discover().chatModel("llamacpp:" + gguf, ModelSettings.defaults().withContextWindow(512));
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured));
    ChatResponse a;
    try {
      a = m.chat(REQ);
    } finally {
      System.setOut(stdout);
    }
    assertThat(captured.toString()).as("nothing on stdout (it carries --json output)").isEmpty();
    List<String> pieces = new ArrayList<>();
    ChatResponse b = m.stream(REQ, pieces::add);
    assertThat(a.text()).isNotBlank().isEqualTo(b.text());
    assertThat(String.join("", pieces)).isEqualTo(b.text());
    assertThat(pieces.size()).isGreaterThan(5);
    assertThat(a.usage().inputTokens()).isPositive();
    assertThat(a.usage().outputTokens()).isBetween(1L, 40L);
    assertThat(a.usage().estimated()).isFalse();
    assertThat(m.countTokens("Once upon a time")).isPositive();
    // dataset checks count a local target's tokens with the GGUF's own tokenizer too
    var counter = ModelRegistry.discover().tokenCounter("llamacpp:" + gguf);
    assertThat(counter.exact()).isTrue();
    assertThat(counter.method()).contains("GGUF's own tokenizer");
    assertThat(counter.count("Once upon a time there was a queue")).isEqualTo(m.countTokens("Once upon a time there was a queue"));
    assertThat(m.name()).isEqualTo("llamacpp:" + gguf);

    ChatRequest tooLong = new ChatRequest(List.of(ChatMessage.user("word ".repeat(600))), 0.0, 40, List.of(), null, 1L);
    assertThatThrownBy(() -> m.chat(tooLong)).isInstanceOfSatisfying(ModelException.class,
        e -> assertThat(e.kind()).isEqualTo(ModelException.Kind.CONTEXT_LENGTH_EXCEEDED));
    ((LlamaCppChatModel) m).close();
  }

  @Test
  void aLoraAdapterChangesTheOutputAndServingTheBaseAloneGivesItBack(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
    Path gguf = SharedData.require("tinyllamas-stories260K/stories260K.gguf");
    ModelSettings settings = ModelSettings.defaults().withContextWindow(512);
    ChatModel base = ModelRegistry.discover().chatModel("llamacpp:" + gguf, settings);
    String before = base.chat(REQ).text();
    ((LlamaCppChatModel) base).close();

    // an adapter over the output projection and every attention output, written here as llama.cpp reads one
    java.util.Map<String, long[]> shapes = new java.util.LinkedHashMap<>();
    shapes.put("output.weight", new long[] {64, 512});
    for (int i = 0; i < 5; i++) shapes.put("blk." + i + ".attn_output.weight", new long[] {64, 64});
    Path lora = dev.groundwork.testkit.TinyGguf.lora(tmp.resolve("support-lora.gguf"), "llama", shapes, 4, 0.5f, 11);
    ChatModel adapted = ModelRegistry.discover().chatModel("llamacpp:" + gguf + "+" + lora, settings);
    assertThat(adapted.name()).isEqualTo("llamacpp:" + gguf + "+" + lora);
    String with = adapted.chat(REQ).text();
    assertThat(with).isNotBlank().isNotEqualTo(before);
    assertThat(adapted.chat(REQ).text()).as("greedy with the adapter: the same twice").isEqualTo(with);
    ((LlamaCppChatModel) adapted).close();

    // removed: the base model's own text again
    ChatModel again = ModelRegistry.discover().chatModel("llamacpp:" + gguf, settings);
    assertThat(again.chat(REQ).text()).isEqualTo(before);
    ((LlamaCppChatModel) again).close();

    // not an adapter, or one for another architecture: refused before anything loads, naming the file
    assertThatThrownBy(() -> ModelRegistry.discover().chatModel("llamacpp:" + gguf + "+" + gguf, settings))
        .hasMessageContaining("is not a LoRA adapter");
    Path other = dev.groundwork.testkit.TinyGguf.lora(tmp.resolve("gpt2-lora.gguf"), "gpt2", java.util.Map.of("output.weight", new long[] {64, 512}), 2, 0.1f, 1);
    assertThatThrownBy(() -> ModelRegistry.discover().chatModel("llamacpp:" + gguf + "+" + other, settings))
        .hasMessageContaining("is for gpt2").hasMessageContaining("llama");
    assertThatThrownBy(() -> ModelRegistry.discover().chatModel("llamacpp:" + gguf + "+" + tmp.resolve("missing.gguf"), settings))
        .hasMessageContaining("no LoRA adapter file at");
  }
}
