package io.tito.internal.admin;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.tito.pubsub.Event;
import java.util.HashMap;
import java.util.Map;

/**
 * The only class that touches OpenTelemetry: loaded only when its API is on the class path (see
 * {@code Tracing}), so that without it tracing is a no-op and nothing fails to link.
 */
public final class OtelBridge {

  private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private OtelBridge() {}

  /** The W3C headers (traceparent, tracestate) of the current span, or an empty map. */
  public static Map<String, String> currentHeaders() {
    Map<String, String> out = new HashMap<>();
    W3CTraceContextPropagator.getInstance().inject(Context.current(), out, Map::put);
    return out;
  }

  /** A call run in a span. */
  public interface Body {
    void run() throws Exception;
  }

  /**
   * Runs {@code body} in a CONSUMER span "{@code <topic> process}" that is linked to the trace
   * context in the event's headers (and is its child, so the trace continues).
   */
  public static void inSpan(String group, Event event, Body body) throws Exception {
    Tracer tracer = GlobalOpenTelemetry.getTracer("io.tito");
    Context parent = W3CTraceContextPropagator.getInstance()
        .extract(Context.root(), event.headers(), GETTER);
    SpanContext publisher = Span.fromContext(parent).getSpanContext();
    var builder = tracer.spanBuilder(event.topic() + " process").setSpanKind(SpanKind.CONSUMER)
        .setAttribute("messaging.system", "tito")
        .setAttribute("messaging.destination.name", event.topic())
        .setAttribute("messaging.consumer.group.name", group)
        .setAttribute("messaging.message.id", event.id().toString())
        .setAttribute(AttributeKey.longKey("messaging.destination.partition.id"),
            (long) event.partition());
    if (publisher.isValid()) {
      builder.setParent(parent).addLink(publisher);
    } else {
      builder.setNoParent();
    }
    Span span = builder.startSpan();
    try (Scope ignored = span.makeCurrent()) {
      body.run();
    } catch (Exception | Error e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      span.end();
    }
  }
}
