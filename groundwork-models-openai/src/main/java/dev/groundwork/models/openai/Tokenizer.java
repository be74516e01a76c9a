package dev.groundwork.models.openai;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

/** Counts tokens with the model's BPE encoding (o200k for the GPT-4o/4.1 family, cl100k before). */
final class Tokenizer {
  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
  private final Encoding encoding;

  private Tokenizer(Encoding encoding) {
    this.encoding = encoding;
  }

  static Tokenizer forModel(String model) {
    boolean older = model.startsWith("gpt-3.5") || model.equals("gpt-4") || model.startsWith("gpt-4-") || model.startsWith("text-embedding");
    return new Tokenizer(REGISTRY.getEncoding(older ? EncodingType.CL100K_BASE : EncodingType.O200K_BASE));
  }

  /** True for OpenAI's own GPT and o-series models, whose tokenizers these encodings are. */
  static boolean isOwn(String model) {
    return model.startsWith("gpt-") || model.matches("o\\d.*");
  }

  String encodingName() {
    return encoding.getName();
  }

  int count(String text) {
    return encoding.countTokensOrdinary(text);
  }
}
