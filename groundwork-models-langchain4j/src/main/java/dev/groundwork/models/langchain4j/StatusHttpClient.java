package dev.groundwork.models.langchain4j;

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
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * LangChain4j's HTTP client contract on the JDK client, keeping what the stock one drops: a failed
 * response becomes an {@link HttpStatusException} with its body and {@code Retry-After}, and a stream
 * that breaks off mid-body reports an error instead of a normal close (which would pass a truncated
 * answer off as complete). Thread-safe.
 */
public final class StatusHttpClient implements HttpClient {
  private final java.net.http.HttpClient jdk;
  private final Duration readTimeout;

  StatusHttpClient(Duration connectTimeout, Duration readTimeout) {
    java.net.http.HttpClient.Builder b = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1);
    if (connectTimeout != null) b.connectTimeout(connectTimeout);
    this.jdk = b.build();
    this.readTimeout = readTimeout;
  }

  /**
   * A builder whose connect timeout is fixed: LangChain4j's model builders overwrite the builder's
   * connect timeout with their overall timeout, so a connect limit set the usual way would be lost.
   */
  public static Builder builder(Duration connectTimeout) {
    Builder b = new Builder();
    b.pinnedConnect = connectTimeout;
    return b;
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    try {
      HttpResponse<String> r = jdk.send(toJdk(request), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (r.statusCode() / 100 != 2) throw failure(r, r.body());
      return SuccessfulHttpResponse.builder().statusCode(r.statusCode()).headers(r.headers().map()).body(r.body()).build();
    } catch (HttpTimeoutException e) {
      throw new TimeoutException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TimeoutException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    jdk.sendAsync(toJdk(request), HttpResponse.BodyHandlers.ofInputStream()).whenComplete((r, err) -> {
      if (err != null) {
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err;
        listener.onError(cause instanceof HttpTimeoutException ? new TimeoutException(cause) : cause);
        return;
      }
      if (r.statusCode() / 100 != 2) {
        String body;
        try (InputStream in = r.body()) {
          body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          body = "";
        }
        listener.onError(failure(r, body));
        return;
      }
      listener.onOpen(SuccessfulHttpResponse.builder().statusCode(r.statusCode()).headers(r.headers().map()).build());
      WatchedStream in = new WatchedStream(r.body());
      try (in) {
        parser.parse(in, listener); // reports a read failure to the listener itself
      } catch (IOException e) {
        // closing a broken stream; the failure was reported
      }
      if (!in.failed) listener.onClose();
    });
  }

  private static HttpStatusException failure(HttpResponse<?> r, String body) {
    Duration ra = HttpStatusException.parseRetryAfter(r.headers().firstValue("retry-after").orElse(null), Clock.systemUTC());
    return new HttpStatusException(r.statusCode(), body, ra);
  }

  private java.net.http.HttpRequest toJdk(HttpRequest request) {
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
    request.headers().forEach((name, values) -> {
      if (values != null) values.forEach(v -> b.header(name, v));
    });
    String body = request.body();
    b.method(request.method().name(), body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
        : java.net.http.HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    // a stream's overall limit is enforced by the caller; here the timeout covers the response headers
    if (readTimeout != null) b.timeout(readTimeout);
    return b.build();
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
      return new StatusHttpClient(connectTimeout(), readTimeout);
    }
  }
}
