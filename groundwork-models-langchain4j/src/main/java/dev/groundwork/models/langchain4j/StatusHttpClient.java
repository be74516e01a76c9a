package dev.groundwork.models.langchain4j;

import dev.groundwork.http.Http1Client;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * LangChain4j's HTTP client contract on Groundwork's {@link Http1Client}, keeping what the stock one
 * drops: a failed response becomes an {@link HttpStatusException} with its body and
 * {@code Retry-After}, and a stream that breaks off mid-body reports an error instead of a normal
 * close (which would pass a truncated answer off as complete). The caller's thread does the
 * exchange (a stream is read on a new virtual thread), with no hand-off between threads, which is
 * what keeps the latency the gateway adds small. Thread-safe.
 */
public final class StatusHttpClient implements HttpClient {
  private final Http1Client http;

  StatusHttpClient(Duration connectTimeout, Duration readTimeout, dev.groundwork.http.Proxies proxies) {
    this.http = new Http1Client(connectTimeout, readTimeout, null, 512, 0, proxies);
  }

  /**
   * A builder whose connect timeout is fixed: LangChain4j's model builders overwrite the builder's
   * connect timeout with their overall timeout, so a connect limit set the usual way would be lost.
   */
  /** @param env where HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read from (the project's environment) */
  public static Builder builder(Duration connectTimeout, java.util.Map<String, String> env) {
    Builder b = new Builder();
    b.pinnedConnect = connectTimeout;
    b.proxies = dev.groundwork.http.Proxies.fromEnvironment(env);
    return b;
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    try (Http1Client.Response r = send(request)) {
      String body = r.bodyText();
      if (r.status() / 100 != 2) throw failure(r, body);
      return SuccessfulHttpResponse.builder().statusCode(r.status()).headers(r.headers()).body(body).build();
    } catch (SocketTimeoutException e) {
      throw new TimeoutException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    Thread.ofVirtual().name("sse-client").start(() -> {
      Http1Client.Response r;
      try {
        r = send(request);
      } catch (IOException | RuntimeException e) {
        listener.onError(e instanceof SocketTimeoutException ? new TimeoutException(e) : e);
        return;
      }
      if (r.status() / 100 != 2) {
        String body;
        try {
          body = r.bodyText();
        } catch (IOException e) {
          body = "";
        }
        listener.onError(failure(r, body));
        return;
      }
      listener.onOpen(SuccessfulHttpResponse.builder().statusCode(r.status()).headers(r.headers()).build());
      WatchedStream in = new WatchedStream(r.body());
      try (in) {
        parser.parse(in, listener); // reports a read failure to the listener itself
      } catch (IOException e) {
        // closing a broken stream; the failure was reported
      }
      if (!in.failed) listener.onClose();
    });
  }

  private Http1Client.Response send(HttpRequest request) throws IOException {
    String body = request.body();
    return http.send(request.method().name(), URI.create(request.url()), request.headers(),
        body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpStatusException failure(Http1Client.Response r, String body) {
    Duration ra = Http1Client.retryAfter(r.header("retry-after"), Clock.systemUTC());
    return new HttpStatusException(r.status(), body, ra);
  }

  /** Remembers whether reading failed, so a broken stream is not reported as a normal close. */
  private static final class WatchedStream extends FilterInputStream {
    volatile boolean failed;

    WatchedStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        failed = true;
        throw e;
      }
    }
  }

  /** Builds the client with LangChain4j's read timeout and the pinned connect timeout. */
  public static final class Builder implements HttpClientBuilder {
    private Duration pinnedConnect;
    private dev.groundwork.http.Proxies proxies = dev.groundwork.http.Proxies.NONE;
    private Duration connectTimeout;
    private Duration readTimeout;

    @Override
    public Duration connectTimeout() {
      return pinnedConnect != null ? pinnedConnect : connectTimeout;
    }

    @Override
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    @Override
    public Duration readTimeout() {
      return readTimeout;
    }

    @Override
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = timeout;
      return this;
    }

    @Override
    public StatusHttpClient build() {
      return new StatusHttpClient(connectTimeout(), readTimeout, proxies);
    }
  }
}
