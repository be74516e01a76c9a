package dev.groundwork.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.groundwork.app.Answering;
import dev.groundwork.app.SearchResult;
import dev.groundwork.core.Answer;
import dev.groundwork.core.log.KeyStore;
import dev.groundwork.core.log.QueryLog;
import dev.groundwork.core.model.ChatRequest;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The access rules of the README, each checked against a real server over a socket. */
class AccessControlTest {
  /** Serves search only; the access rules run before any of this is reached. */
  static class SearchOnly implements Answering {
    public List<String> models() {
      return List.of("extractive");
    }

    public Answer ask(String model, String question, int k, Consumer<String> onToken) {
      throw new UnsupportedOperationException("not used here");
    }

    public SearchResult search(String query, int k) {
      return new SearchResult(query, "bm25", k, List.of(), 0);
    }

    public List<float[]> embed(List<String> texts) {
      return List.of();
    }

    public String embedderName() {
      return "none";
    }

    public Forwarded forward(String model, ChatRequest request, Consumer<String> onToken) {
      throw new UnsupportedOperationException("not used here");
    }

    public boolean ready() {
      return true;
    }
  }

  /** One key, {@code gw_secret}. */
  static final class OneKey implements KeyStore {
    public Created create(String name, Scope scope) {
      throw new UnsupportedOperationException();
    }

    public List<Key> list() {
      return List.of();
    }

    public boolean revoke(String id) {
      return false;
    }

    public Optional<Key> verify(String secret) {
      return secret.equals("gw_secret") ? Optional.of(new Key("k1", "test", Instant.EPOCH, false)) : Optional.empty();
    }
  }

  static final class ListLog implements QueryLog {
    final List<Entry> entries = Collections.synchronizedList(new ArrayList<>());

    public void record(Entry e) {
      entries.add(e);
    }

    public void feedback(Feedback f) {}

    public List<Logged> list(Query q) {
      return List.of();
    }

    public Optional<Logged> get(String id) {
      return Optional.empty();
    }

    public void close() {}
  }

  private static GroundworkServer.Builder server(boolean auth, String host) {
    return GroundworkServer.builder().answering(new SearchOnly()).queryLog(new ListLog()).keys(new OneKey()).auth(auth).host(host).port(0);
  }

  private static int get(int port, String path, String key) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (key != null) r.header("Authorization", "Bearer " + key);
    return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void theConsoleAndTheProbesAreOpenAndEveryApiRouteNeedsAKey() throws Exception {
    try (GroundworkServer s = server(true, "127.0.0.1").build().start()) {
      assertThat(get(s.port(), "/", null)).isEqualTo(200);
      assertThat(get(s.port(), "/health", null)).isEqualTo(200);
      assertThat(get(s.port(), "/ready", null)).isEqualTo(200);
      for (String path : List.of("/api/search?q=x", "/api/queries", "/api/evals", "/v1/models", "/metrics", "/api/nothing-here", "/v1/nothing")) {
        assertThat(get(s.port(), path, null)).as(path + " without a key").isEqualTo(401);
        assertThat(get(s.port(), path, "gw_wrong")).as(path + " with a wrong key").isEqualTo(401);
      }
      assertThat(get(s.port(), "/api/search?q=x", "gw_secret")).isEqualTo(200);
      assertThat(get(s.port(), "/v1/models", "gw_secret")).isEqualTo(200);
    }
  }

  @Test
  void noAuthServesOnLoopbackAddressesWithoutAKey() throws Exception {
    try (GroundworkServer s = server(false, "127.0.0.1").build().start()) {
      assertThat(get(s.port(), "/api/search?q=x", null)).isEqualTo(200);
    }
    try (GroundworkServer s = server(false, "localhost").build().start()) {
      assertThat(get(s.port(), "/v1/models", null)).isEqualTo(200);
    }
  }

  @Test
  void noAuthIsRefusedOnANonLoopbackAddressOrANameThatOnlyLooksLikeOne() throws Exception {
    assertThatThrownBy(() -> server(false, "0.0.0.0").build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    // starts with "127." but is a host name that does not resolve to a loopback address
    assertThatThrownBy(() -> server(false, "127.0.0.1.invalid").build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("127.0.0.1.invalid");
    InetAddress external = nonLoopbackAddress();
    if (external != null) {
      assertThatThrownBy(() -> server(false, external.getHostAddress()).build()).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("loopback");
      // the same address with keys on serves, and asks for a key
      try (GroundworkServer s = server(true, external.getHostAddress()).build().start()) {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + external.getHostAddress() + ":" + s.port() + "/v1/models")).build();
        assertThat(HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
      }
    }
  }

  /** An IPv4 address of this machine that is not loopback, or null on a machine with none. */
  private static InetAddress nonLoopbackAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp()) continue;
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) return a;
      }
    }
    return null;
  }
}
