package dev.groundwork.app;

import dev.groundwork.core.Answer;
import dev.groundwork.core.log.QueryLog;
import dev.groundwork.core.model.ChatModel;
import dev.groundwork.core.model.ChatRequest;
import dev.groundwork.core.model.ModelRegistry;
import dev.groundwork.core.model.ModelSettings;
import dev.groundwork.core.model.PriceTable;
import dev.groundwork.models.openai.OpenAiProvider;
import dev.groundwork.store.jdbc.JdbcQueryLog;
import dev.groundwork.store.jdbc.JdbcStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What `groundwork bench gateway` puts behind the server it measures: the gateway path alone (one
 * OpenAI-compatible model, no project, no retrieval) and the durable query log the server writes.
 */
public final class GatewayBench {
  /** The model name clients ask for, as {@code openai:} + this. */
  public static final String MODEL = "gpt-4.1-mini";

  /** What {@link #servedLog} can leave out: {@code db} (nothing), {@code journal} (the database), {@code off} (the whole log). */
  public static final List<String> LOG_MODES = List.of("db", "journal", "off");

  private static final PriceTable PRICES = ModelRegistry.discover().prices();

  private GatewayBench() {}

  /** Answering that forwards {@code openai:gpt-4.1-mini} to the OpenAI-compatible {@code upstreamBaseUrl} and does nothing else. */
  public static Answering passThrough(String upstreamBaseUrl) {
    ModelSettings settings = new ModelSettings(upstreamBaseUrl, "bench", Duration.ofSeconds(10), Duration.ofSeconds(60), null, null, Map.of());
    return new PassThrough(new OpenAiProvider().chatModel(MODEL, settings));
  }

  /**
   * Bytes to {@code upstreamBaseUrl}'s {@code /chat/completions} and the reply's bytes back, over the
   * shared HTTP client, with nothing parsed: the forwarding floor under the gateway. Close the client
   * it returns with the server that uses it.
   */
  public static RawForward rawForward(String upstreamBaseUrl) {
    return new RawForward(new dev.groundwork.http.Http1Client(Duration.ofSeconds(10), Duration.ofSeconds(60), null, 4096),
        java.net.URI.create(upstreamBaseUrl + "/chat/completions"));
  }

  /** See {@link #rawForward}. */
  public record RawForward(dev.groundwork.http.Http1Client client, java.net.URI upstream) implements java.util.function.UnaryOperator<byte[]>, AutoCloseable {
    private static final Map<String, List<String>> HEADERS = Map.of("Content-Type", List.of("application/json"), "Authorization", List.of("Bearer bench"));

    @Override
    public byte[] apply(byte[] body) {
      try (var r = client.send("POST", upstream, HEADERS, body)) {
        if (r.status() != 200) throw new IllegalStateException("the upstream answered " + r.status());
        return r.body().readAllBytes();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /** The query log on a SQLite file: {@code fullSync} survives power loss, otherwise a killed process. Closing it closes the file. */
  public static QueryLog sqliteLog(Path db, boolean fullSync) {
    return new JdbcQueryLog(JdbcStore.sqlite(db, fullSync));
  }

  /**
   * The log {@code serve} writes, on a SQLite file: journaled beside {@code db}, synced to disk per
   * group with {@code fullSync}. {@code mode} takes parts away to measure what each costs:
   * {@code db} is the whole log, {@code journal} the journal alone (the database takes nothing),
   * {@code off} no log at all.
   */
  public static QueryLog servedLog(Path db, boolean fullSync, String mode) {
    if (!LOG_MODES.contains(mode)) throw new IllegalArgumentException("--log must be db, journal or off, got " + mode);
    QueryLog store = sqliteLog(db, fullSync);
    QueryLog taken = mode.equals("db") ? store : new dev.groundwork.core.log.DelegatingQueryLog(store) {
      public void record(Entry e) {}

      public void recordAll(List<Entry> es) {}
    };
    return mode.equals("off") ? taken : new dev.groundwork.store.jdbc.JournaledQueryLog(taken, db.resolveSibling("journal"), fullSync,
        java.time.Duration.ofSeconds(10), line -> System.err.println("groundwork: " + line));
  }

  private record PassThrough(ChatModel model) implements Answering {
    public List<String> models() {
      return List.of(model.name());
    }

    public Answer ask(String m, String q, int k, Consumer<String> onToken) {
      throw new BadInputException("the gateway benchmark serves the gateway path only (groundwork.retrieve = false)");
    }

    public SearchResult search(String q, int k) {
      return new SearchResult(q, "none", k, List.of(), 0);
    }

    public List<float[]> embed(List<String> texts) {
      return List.of();
    }

    public String embedderName() {
      return "none";
    }

    public Forwarded forward(String m, ChatRequest r, Consumer<String> onToken) {
      var resp = onToken == null ? model.chat(r) : model.stream(r, onToken);
      return new Forwarded(resp, PRICES.cost(model.name(), resp.usage()));
    }

    public boolean ready() {
      return true;
    }
  }
}
