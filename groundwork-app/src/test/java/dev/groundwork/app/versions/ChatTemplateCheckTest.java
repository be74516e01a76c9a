package dev.groundwork.app.versions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.groundwork.testkit.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatTemplateCheckTest {
  @TempDir Path dir;

  static final String CHATML = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}";

  static Map<String, Object> header(String template) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("tokenizer.ggml.tokens", List.of("<unk>", "<|im_end|>", "<|endoftext|>"));
    if (template != null) h.put("tokenizer.chat_template", template);
    h.put("tokenizer.ggml.eos_token_id", 1L);
    return h;
  }

  @Test
  void aTemplateThatClosesTurnsWithTheEosTokenAndMatchesTrainingPasses() throws Exception {
    Path out = Files.createDirectories(dir.resolve("output"));
    Path gguf = TinyGguf.write(out.resolve("merged.gguf"), header(CHATML));
    Files.writeString(out.resolve("tokenizer_config.json"), "{\"chat_template\": \"" + CHATML.replace("\n", "\\n") + "\", \"eos_token\": \"<|im_end|>\"}");
    ChatTemplateCheck.Result r = ChatTemplateCheck.check(gguf);
    assertThat(r.problems()).isEmpty();
    assertThat(r.checked()).contains("chat template present", "end-of-sequence token <|im_end|>", "the template closes turns with it",
        "the same template as training (tokenizer_config.json)");
  }

  @Test
  void eachSilentExportMistakeIsNamed() throws Exception {
    // no template at all
    assertThat(ChatTemplateCheck.check(TinyGguf.write(dir.resolve("a.gguf"), header(null))).problems()).singleElement().asString()
        .contains("has no tokenizer.chat_template");
    // a template that never emits the end token: generation would run on
    assertThat(ChatTemplateCheck.check(TinyGguf.write(dir.resolve("b.gguf"), header("{% for m in messages %}{{ m.content }}\n{% endfor %}"))).problems())
        .singleElement().asString().contains("never emits the end-of-sequence token <|im_end|>");
    // training used another template than the one exported
    Path out = Files.createDirectories(dir.resolve("o2"));
    Path gguf = TinyGguf.write(out.resolve("m.gguf"), header(CHATML));
    Files.writeString(out.resolve("tokenizer_config.json"), "{\"chat_template\": [{\"name\": \"default\", \"template\": \"[INST] {{ m }} [/INST]<|im_end|>\"}]}");
    assertThat(ChatTemplateCheck.check(gguf).problems()).singleElement().asString().contains("differs from the one training used");
    // no end token named
    Map<String, Object> h = header(CHATML);
    h.remove("tokenizer.ggml.eos_token_id");
    assertThat(ChatTemplateCheck.check(TinyGguf.write(dir.resolve("c.gguf"), h)).problems()).singleElement().asString().contains("names no end-of-sequence token");
    assertThat(ChatTemplateCheck.check(dir.resolve("missing.gguf")).problems()).singleElement().asString().startsWith("cannot read the GGUF");
  }

  /** A stand-in model that ends each reply as {@code finish} says (or fails). */
  static dev.groundwork.core.model.ChatModel ending(String finish) {
    return new dev.groundwork.core.model.ChatModel() {
      @Override
      public String name() {
        return "llamacpp:stand-in.gguf";
      }

      @Override
      public int contextWindow() {
        return 4096;
      }

      @Override
      public dev.groundwork.core.model.ChatResponse chat(dev.groundwork.core.model.ChatRequest r) {
        if (finish == null) throw new IllegalStateException("cannot load the model");
        return new dev.groundwork.core.model.ChatResponse("Hi.", List.of(), new dev.groundwork.core.model.TokenUsage(5, 0, finish.equals("length")
            ? r.maxTokens() : 3, false), "stand-in", finish);
      }
    };
  }

  @Test
  void generationMustStopAtTheEndTokenNotAtTheLimit() {
    ChatTemplateCheck.Result stops = ChatTemplateCheck.generationStops(ending("stop"), 256);
    assertThat(stops.passed()).isTrue();
    assertThat(stops.checked()).anySatisfy(c -> assertThat(c).contains("generation stops at the end token"));
    ChatTemplateCheck.Result runsOn = ChatTemplateCheck.generationStops(ending("length"), 256);
    assertThat(runsOn.passed()).isFalse();
    assertThat(runsOn.problems()).singleElement().asString().contains("generation did not stop").contains("256-token limit");
    assertThat(ChatTemplateCheck.generationStops(ending(null), 256).problems()).singleElement().asString().contains("could not be run")
        .contains("cannot load the model");
    // both checks together: every problem and every pass is kept
    ChatTemplateCheck.Result both = runsOn.and(stops);
    assertThat(both.problems()).hasSize(1);
    assertThat(both.checked()).hasSize(1);
  }
}
