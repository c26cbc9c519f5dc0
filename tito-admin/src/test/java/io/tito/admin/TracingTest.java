package io.tito.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tito.Tito;
import io.tito.pubsub.Event;
import io.tito.pubsub.Message;
import io.tito.pubsub.SubscribeOptions;
import io.tito.pubsub.Subscription;
import io.tito.pubsub.TopicConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The publisher's trace context travels in the event headers; the handler's span links to it. */
class TracingTest {

  static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
  static OpenTelemetrySdk sdk;

  @BeforeAll
  static void install() {
    GlobalOpenTelemetry.resetForTest();
    sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build()).buildAndRegisterGlobal();
  }

  @AfterAll
  static void uninstall() {
    sdk.close();
    GlobalOpenTelemetry.resetForTest();
  }

  @Test
  void theHandlerRunsInASpanLinkedToThePublisher() {
    String url = Stores.freshRocksDb();
    try (Tito tito = Tito.open(url)) {
      tito.topics().createTopic("orders", TopicConfig.DEFAULTS.withPartitions(1));
      Tracer tracer = GlobalOpenTelemetry.getTracer("test");
      Span publish = tracer.spanBuilder("checkout").setSpanKind(SpanKind.PRODUCER).startSpan();
      try (Scope ignored = publish.makeCurrent()) {
        tito.topics().publish("orders", Tracing.withTraceContext(Message.of("k", new byte[] {1})));
      } finally {
        publish.end();
      }
      tito.topics().publish("orders", Tracing.withTraceContext(Message.of("k", new byte[] {2})));
      List<Event> seen = new CopyOnWriteArrayList<>();
      List<String> traceIds = new CopyOnWriteArrayList<>();
      try (Subscription s = tito.topics().subscribe("orders", "billing",
          Tracing.handler("billing", e -> {
            seen.add(e);
            traceIds.add(Span.current().getSpanContext().getTraceId());
          }), SubscribeOptions.builder().pollInterval(Duration.ofMillis(50)).build())) {
        Fixture.await("handled", () -> seen.size() == 2);
      }
      assertThat(Tracing.traceparent(seen.get(0)))
          .startsWith("00-" + publish.getSpanContext().getTraceId() + "-"
              + publish.getSpanContext().getSpanId());
      assertThat(Tracing.traceparent(seen.get(1))).as("no current span, no header").isNull();
      assertThat(traceIds.get(0)).isEqualTo(publish.getSpanContext().getTraceId());

      Fixture.await("spans exported", () -> SPANS.getFinishedSpanItems().stream()
          .filter(d -> d.getKind() == SpanKind.CONSUMER).count() == 2);
      List<SpanData> consumers = SPANS.getFinishedSpanItems().stream()
          .filter(d -> d.getKind() == SpanKind.CONSUMER).toList();
      SpanData linked = consumers.stream()
          .filter(d -> d.getTraceId().equals(publish.getSpanContext().getTraceId())).findFirst()
          .orElseThrow();
      assertThat(linked.getName()).isEqualTo("orders process");
      assertThat(linked.getParentSpanId()).isEqualTo(publish.getSpanContext().getSpanId());
      assertThat(linked.getLinks()).hasSize(1);
      assertThat(linked.getLinks().get(0).getSpanContext().getSpanId())
          .isEqualTo(publish.getSpanContext().getSpanId());
      assertThat(linked.getAttributes().asMap().toString()).contains("billing", "tito");
      SpanData root = consumers.stream().filter(d -> d != linked).findFirst().orElseThrow();
      assertThat(root.getLinks()).isEmpty();
      assertThat(root.getParentSpanContext().isValid()).isFalse();
    } finally {
      Stores.deleteDir(url);
    }
  }
}
