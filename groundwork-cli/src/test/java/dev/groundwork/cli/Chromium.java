package dev.groundwork.cli;

import dev.groundwork.app.Project;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over the DevTools protocol: navigate, and evaluate JavaScript in the page
 * (the way a user's clicks run). Close it to stop the browser.
 */
final class Chromium implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  private final Process process;
  private final Path profile;
  private final WebSocket ws;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  /** The browser binary, or null when none is installed. */
  static String binary() {
    for (String b : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) if (Files.isExecutable(Path.of(b))) return b;
    return null;
  }

  Chromium(String binary) throws Exception {
    profile = Files.createTempDirectory("gw-chromium");
    process = new ProcessBuilder(binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--remote-debugging-port=0",
        "--user-data-dir=" + profile, "about:blank").redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
    String browserWs = null;
    for (String line; browserWs == null && (line = out.readLine()) != null; ) {
      Matcher m = LISTENING.matcher(line);
      if (m.find()) browserWs = m.group(1);
    }
    if (browserWs == null) throw new IllegalStateException("chromium did not start");
    Thread.ofVirtual().start(() -> out.lines().forEach(l -> {})); // keep its output drained
    URI u = URI.create(browserWs);
    HttpClient http = HttpClient.newHttpClient();
    JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://" + u.getAuthority() + "/json/list")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    String pageWs = null;
    for (JsonNode t : targets) if ("page".equals(t.path("type").asText())) pageWs = t.path("webSocketDebuggerUrl").asText();
    if (pageWs == null) throw new IllegalStateException("chromium has no page target");
    ws = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), new WebSocket.Listener() {
      final StringBuilder buf = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
        buf.append(data);
        if (last) {
          try {
            JsonNode msg = JSON.readTree(buf.toString());
            CompletableFuture<JsonNode> f = msg.has("id") ? pending.remove(msg.get("id").asInt()) : null;
            if (f != null) f.complete(msg);
          } catch (Exception e) {
            // not a reply we wait for
          }
          buf.setLength(0);
        }
        w.request(1);
        return null;
      }
    }).get(10, TimeUnit.SECONDS);
  }

  JsonNode call(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
    msg.set("params", JSON.valueToTree(params));
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    ws.sendText(msg.toString(), true).get(10, TimeUnit.SECONDS);
    JsonNode reply = f.get(30, TimeUnit.SECONDS);
    if (reply.has("error")) throw new IllegalStateException(method + ": " + reply.get("error"));
    return reply.path("result");
  }

  void navigate(String url) throws Exception {
    call("Page.navigate", Map.of("url", url));
    waitFor("document.readyState === 'complete'", Duration.ofSeconds(20));
  }

  /** Evaluates {@code js} in the page (promises awaited) and returns its value. */
  JsonNode eval(String js) throws Exception {
    JsonNode r = call("Runtime.evaluate", Map.of("expression", js, "awaitPromise", true, "returnByValue", true));
    if (r.has("exceptionDetails")) throw new IllegalStateException("page error: " + r.get("exceptionDetails"));
    return r.path("result").path("value");
  }

  /** Waits until {@code condition} (JavaScript) is true in the page. */
  void waitFor(String condition, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (eval("Boolean(" + condition + ")").asBoolean()) return;
      Thread.sleep(100);
    }
    throw new AssertionError("timed out waiting for: " + condition);
  }

  @Override
  public void close() throws Exception {
    try {
      ws.abort();
    } finally {
      // Chromium runs helper processes that may still write to the profile: stop them all first
      List<ProcessHandle> children = process.descendants().toList();
      process.destroy();
      children.forEach(ProcessHandle::destroy);
      process.waitFor(10, TimeUnit.SECONDS);
      for (ProcessHandle c : children) c.onExit().get(10, TimeUnit.SECONDS);
      try {
        Project.deleteTree(profile);
      } catch (java.io.IOException e) {
        // a late write from a dying helper; the folder is in the temp dir
      }
    }
  }
}
