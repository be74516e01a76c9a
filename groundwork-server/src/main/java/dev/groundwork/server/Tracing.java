package dev.groundwork.server;

import dev.groundwork.core.trace.Timeline;
import io.javalin.http.Context;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One OpenTelemetry trace per request, exported over OTLP/HTTP when an endpoint is configured: a
 * server span for the request, with a child span for each section the pipeline timed (retrieval, the
 * answer, each model call, the log write; see {@link Timeline}). A {@code traceparent} header from the
 * caller makes the request part of the caller's trace. Spans are batched and sent on a background
 * thread; an unreachable collector costs dropped spans, never a failed request. Off, it does nothing.
 */
final class Tracing implements AutoCloseable {
  private static final String T0 = "groundwork.trace.t0";
  private static final TextMapGetter<Context> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Context ctx) {
      return ctx.headerMap().keySet();
    }

    @Override
    public String get(Context ctx, String key) {
      return ctx == null ? null : ctx.header(key);
    }
  };
  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private Tracing(SdkTracerProvider provider) {
    this.provider = provider;
    this.tracer = provider == null ? null : provider.get("dev.groundwork.server");
  }

  static Tracing off() {
    return new Tracing(null);
  }

  /** @param endpoint the collector's OTLP/HTTP base, e.g. {@code http://localhost:4318}; traces go to {@code /v1/traces} */
  static Tracing otlp(URI endpoint) {
    String base = endpoint.toString().replaceAll("/+$", "");
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").setTimeout(Duration.ofSeconds(5)).build();
    SdkTracerProvider p = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "groundwork"))))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofSeconds(1)).build())
        .build();
    return new Tracing(p);
  }

  boolean on() {
    return provider != null;
  }

  /** The before-handler: starts collecting this request's sections. */
  void begin(Context ctx) {
    if (!on()) return;
    ctx.attribute(T0, System.nanoTime());
    Timeline.begin();
  }

  /** The after-handler: the request's spans, from its start until now. */
  void end(Context ctx) {
    if (!on()) return;
    Timeline t = Timeline.end();
    Long t0 = ctx.attribute(T0);
    if (t == null || t0 == null) return;
    io.opentelemetry.context.Context parent = W3CTraceContextPropagator.getInstance().extract(io.opentelemetry.context.Context.root(), ctx, HEADERS);
    Span root = tracer.spanBuilder(ctx.method().name() + " " + ctx.path()).setParent(parent).setSpanKind(SpanKind.SERVER)
        .setStartTimestamp(Timeline.epochNanos(t0), TimeUnit.NANOSECONDS)
        .setAttribute("http.request.method", ctx.method().name())
        .setAttribute("url.path", ctx.path())
        .setAttribute("http.response.status_code", ctx.statusCode())
        .startSpan();
    String qid = ctx.attribute(QueryRecorder.QUERY_ID);
    if (qid != null) root.setAttribute("groundwork.query_id", qid);
    String key = ctx.attribute(AccessControl.KEY_ID);
    if (key != null) root.setAttribute("groundwork.key_id", key);
    if (ctx.statusCode() >= 500) root.setStatus(StatusCode.ERROR);
    io.opentelemetry.context.Context inRoot = parent.with(root);
    for (Timeline.Section s : t.sections()) {
      SpanBuilder b = tracer.spanBuilder(s.name()).setParent(inRoot).setStartTimestamp(s.startEpochNanos(), TimeUnit.NANOSECONDS);
      for (Map.Entry<String, Object> a : s.attributes().entrySet()) {
        switch (a.getValue()) {
          case Boolean v -> b.setAttribute(a.getKey(), v);
          case Integer v -> b.setAttribute(a.getKey(), v.longValue());
          case Long v -> b.setAttribute(a.getKey(), v);
          case Double v -> b.setAttribute(a.getKey(), v);
          case List<?> v -> b.setAttribute(a.getKey(), v.toString());
          default -> b.setAttribute(a.getKey(), String.valueOf(a.getValue()));
        }
      }
      Span span = b.startSpan();
      if (s.error() != null) span.setStatus(StatusCode.ERROR, s.error());
      span.end(s.endEpochNanos(), TimeUnit.NANOSECONDS);
    }
    root.end();
  }

  /** Sends what is batched (up to 10 s), then stops. */
  @Override
  public void close() {
    if (provider != null) provider.shutdown().join(10, TimeUnit.SECONDS);
  }
}
