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
    assertThat(m.name()).isEqualTo("llamacpp:" + gguf);

    ChatRequest tooLong = new ChatRequest(List.of(ChatMessage.user("word ".repeat(600))), 0.0, 40, List.of(), null, 1L);
    assertThatThrownBy(() -> m.chat(tooLong)).isInstanceOfSatisfying(ModelException.class,
        e -> assertThat(e.kind()).isEqualTo(ModelException.Kind.CONTEXT_LENGTH_EXCEEDED));
    ((LlamaCppChatModel) m).close();
  }
}
