package dev.groundwork.web;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A local web server over a real socket: fixed responses per path, and the paths it was asked for. */
final class LocalWeb implements AutoCloseable {
  record Response(int status, String type, String body, Map<String, String> headers, long delayMs) {
    static Response page(String html) {
      return new Response(200, "text/html; charset=utf-8", html, Map.of(), 0);
    }
  }

  final HttpServer server;
  final Map<String, Response> routes = new ConcurrentHashMap<>();
  final List<String> asked = new CopyOnWriteArrayList<>();
  final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();

  LocalWeb() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      String path = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
      asked.add(path);
      headers.add(Map.copyOf(ex.getRequestHeaders()));
      Response r = routes.getOrDefault(ex.getRequestURI().getRawPath(), new Response(404, "text/plain", "not found", Map.of(), 0));
      try {
        if (r.delayMs() > 0) Thread.sleep(r.delayMs());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] b = r.body().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", r.type());
      r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      ex.sendResponseHeaders(r.status(), b.length == 0 ? -1 : b.length);
      if (b.length > 0) ex.getResponseBody().write(b);
      ex.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
