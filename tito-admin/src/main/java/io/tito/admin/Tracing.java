package io.tito.admin;

import io.tito.internal.admin.OtelBridge;
import io.tito.pubsub.Event;
import io.tito.pubsub.EventHandler;
import io.tito.pubsub.Message;
import io.tito.pubsub.TransactionalEventHandler;
import java.util.HashMap;
import java.util.Map;

/**
 * W3C trace context across pub/sub, through the OpenTelemetry API when the application has it
 * (an optional dependency: without it every method here is a no-op pass-through).
 *
 * <pre>{@code
 * topics.publish(tx, "orders", Tracing.withTraceContext(Message.of(id, bytes)));  // adds traceparent
 * topics.subscribe("orders", "billing", Tracing.handler("billing", event -> bill(event)), options);
 * }</pre>
 *
 * <p>The publisher's current span travels in the event's {@code traceparent} (and {@code
 * tracestate}) headers; the handler runs in a CONSUMER span named "{@code <topic> process}",
 * child of and linked to that context, with the messaging attributes (system {@code tito},
 * destination, consumer group, message id, partition). A failing handler marks its span as an
 * error. Thread-safe.
 */
public final class Tracing {

  /** The W3C header carrying the trace context. */
  public static final String TRACEPARENT = "traceparent";

  private static final boolean AVAILABLE = detect();

  private Tracing() {}

  private static boolean detect() {
    try {
      Class.forName("io.opentelemetry.api.GlobalOpenTelemetry", false,
          Tracing.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Whether the OpenTelemetry API is present (otherwise tracing does nothing). */
  public static boolean available() {
    return AVAILABLE;
  }

  /**
   * {@code message} with the current span's trace context added to its headers; the message
   * itself when there is no current span or no OpenTelemetry.
   */
  public static Message withTraceContext(Message message) {
    if (!AVAILABLE) {
      return message;
    }
    Map<String, String> context = OtelBridge.currentHeaders();
    if (context.isEmpty()) {
      return message;
    }
    Map<String, String> headers = new HashMap<>(message.headers());
    headers.putAll(context);
    return message.withHeaders(headers);
  }

  /** {@code handler}, run in a span linked to the event's trace context. */
  public static EventHandler handler(String group, EventHandler handler) {
    if (!AVAILABLE) {
      return handler;
    }
    return event -> OtelBridge.inSpan(group, event, () -> handler.handle(event));
  }

  /** Like {@link #handler(String, EventHandler)} for a transactional handler. */
  public static TransactionalEventHandler transactionalHandler(String group,
      TransactionalEventHandler handler) {
    if (!AVAILABLE) {
      return handler;
    }
    return (tx, event) -> OtelBridge.inSpan(group, event, () -> handler.handle(tx, event));
  }

  /** The event's traceparent header, or null. */
  public static String traceparent(Event event) {
    return event.headers().get(TRACEPARENT);
  }
}
