/**
 * Test fakes that speak the real wire formats over real sockets, so the code under test runs its
 * real HTTP client: {@link dev.groundwork.testkit.FakeOpenAiServer} (OpenAI-compatible chat
 * completions, SSE streaming with usage chunks, embeddings, models) and
 * {@link dev.groundwork.testkit.FakeAnthropicServer} (Messages API with its event stream). Replies are
 * scripted in order; when the script is empty a default reply answers from the sources in the prompt.
 * {@link dev.groundwork.testkit.ChatModelContract} is the contract every {@code ChatModel} provider
 * runs against its fake.
 */
package dev.groundwork.testkit;
