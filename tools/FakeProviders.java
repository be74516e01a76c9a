import dev.groundwork.testkit.FakeAnthropicServer;
import dev.groundwork.testkit.FakeOpenAiServer;

/**
 * Starts the testkit's fake OpenAI and Anthropic servers and prints their base URLs, for measuring
 * the CLI against them by hand (see tools/measure-startup.sh). Runs until killed.
 */
public class FakeProviders {
  public static void main(String[] args) throws Exception {
    FakeOpenAiServer openai = new FakeOpenAiServer();
    FakeAnthropicServer anthropic = new FakeAnthropicServer();
    System.out.println("OPENAI_BASE_URL=" + openai.baseUrl());
    System.out.println("ANTHROPIC_BASE_URL=" + anthropic.baseUrl());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
