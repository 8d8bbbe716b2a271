package ai.chatops.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ai.chatops.EventRouter;
import ai.chatops.plugin.BotPlugin;
import ai.chatops.test.RecordingService;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The spans of an event, recorded by the OpenTelemetry SDK in memory. */
class OpenTelemetryTracingTest {
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .build();
  private final RecordingService chat = RecordingService.create();
  private final OpenTelemetryTracing tracing = new OpenTelemetryTracing(otel);
  private final EventRouter router = EventRouter.builder().service(chat).plugin(BotPlugin.create())
      .observer(tracing).interceptor(tracing.interceptor()).build();

  @AfterEach
  void close() {
    router.close();
    otel.close();
  }

  @Test
  void spansAnEventWithItsNluAndPluginCallAsChildrenAndNoMessageText() {
    assertThat(router.handle(chat.request("U1", "are you alive?")).status()).isEqualTo(200);
    assertThat(chat.nextReply(Duration.ofSeconds(10)).text()).contains("pong");
    assertThat(router.awaitIdle(Duration.ofSeconds(10))).isTrue();

    Map<String, SpanData> byName = spans.getFinishedSpanItems().stream()
        .collect(Collectors.toMap(SpanData::getName, Function.identity(), (a, b) -> a));
    assertThat(byName).containsKeys("chatops.event", "chatops.nlu", "chatops.invoke");
    SpanData event = byName.get("chatops.event");
    assertThat(event.getAttributes().get(AttributeKey.stringKey("chatops.service"))).isEqualTo("test");
    assertThat(byName.get("chatops.nlu").getParentSpanId()).isEqualTo(event.getSpanId());
    assertThat(byName.get("chatops.nlu").getAttributes().get(AttributeKey.stringKey("chatops.nlu.outcome")))
        .isEqualTo("understood");
    assertThat(byName.get("chatops.invoke").getParentSpanId()).isEqualTo(event.getSpanId());
    assertThat(byName.get("chatops.invoke").getAttributes().get(AttributeKey.stringKey("chatops.route")))
        .isEqualTo("/v1/bot/ping");
    List<String> values = spans.getFinishedSpanItems().stream()
        .flatMap(s -> s.getAttributes().asMap().values().stream()).map(String::valueOf).toList();
    assertThat(values).noneMatch(v -> v.contains("alive"));
  }
}
