package dev.groundwork.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Opens the socket for an origin: straight to it, or through a proxy (plain for http, a CONNECT
 * tunnel for https); each address the host name resolves to is tried in turn until one answers
 * (a dead IPv6 address before a working IPv4 one costs one connect timeout, not the request); TLS
 * with the platform's host-name verification. Thread-safe.
 */
final class Connector {
  private final int connectMs;
  private final int readMs;
  private final SSLContext tls;
  private final Proxies proxies;
  private final HostResolver resolver;

  Connector(int connectMs, int readMs, SSLContext tls, Proxies proxies, HostResolver resolver) {
    this.connectMs = connectMs;
    this.readMs = readMs;
    this.tls = tls;
    this.proxies = proxies;
    this.resolver = resolver;
  }

  Proxies proxies() {
    return proxies;
  }

  /** A connected socket to {@code host:port}, TLS done when {@code secure}, read timeout set. */
  Socket open(String host, int port, boolean secure) throws IOException {
    var proxy = proxies.forTarget(secure ? "https" : "http", host, port);
    Socket s = proxy.isPresent() ? connectAny(proxy.get().host(), proxy.get().port()) : connectAny(host, port);
    try {
      if (secure) {
        if (proxy.isPresent()) tunnel(s, host, port, proxy.get());
        s = handshake(s, host, port);
      }
      s.setSoTimeout(readMs);
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** Connects to the first address of {@code host} that accepts, in the order the resolver gives them. */
  Socket connectAny(String host, int port) throws IOException {
    InetAddress[] all = resolver.resolve(host);
    IOException last = null;
    for (InetAddress a : all) {
      Socket s = new Socket();
      try {
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(a, port), connectMs);
        return s;
      } catch (IOException e) {
        s.close();
        if (last != null) e.addSuppressed(last);
        last = e;
      }
    }
    ConnectException e = new ConnectException("cannot connect to " + host + ":" + port + " (tried " + all.length + " address"
        + (all.length == 1 ? "" : "es") + "): " + (last == null ? "none resolved" : last.getMessage()));
    if (last != null) e.initCause(last);
    throw e;
  }

  void tunnel(Socket s, String host, int port, Proxies.Proxy proxy) throws IOException {
    String target = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    StringBuilder req = new StringBuilder("CONNECT ").append(target).append(" HTTP/1.1\r\nHost: ").append(target).append("\r\n");
    if (proxy.authorization() != null) req.append("Proxy-Authorization: ").append(proxy.authorization()).append("\r\n");
    req.append("\r\n");
    s.setSoTimeout(connectMs);
    OutputStream out = s.getOutputStream();
    out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    // byte by byte and unbuffered: what follows the proxy's answer is the TLS handshake, not ours to read
    InputStream in = s.getInputStream();
    String status = HttpLines.read(in, 8192);
    if (status == null) throw new IOException("the proxy " + proxy.host() + ":" + proxy.port() + " closed the connection on CONNECT " + target);
    for (String l = HttpLines.read(in, 8192); l != null && !l.isEmpty(); l = HttpLines.read(in, 8192)) {
      // the proxy's headers say nothing we need
    }
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[1].equals("200")) {
      throw new IOException("the proxy " + proxy.host() + ":" + proxy.port() + " refused CONNECT " + target + ": " + status.strip()
          + (status.contains("407") ? " (set the user and password in HTTPS_PROXY: http://user:password@host:port)" : ""));
    }
  }

  private Socket handshake(Socket s, String host, int port) throws IOException {
    SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, host, port, true);
    SSLParameters p = ssl.getSSLParameters();
    p.setEndpointIdentificationAlgorithm("HTTPS");
    ssl.setSSLParameters(p);
    ssl.setSoTimeout(connectMs);
    ssl.startHandshake();
    return ssl;
  }
}
