package io.sluice.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official Anthropic Java SDK against the sim's Messages API. */
class AnthropicSdkTest {
  private static SimProvider sim;
  private static AnthropicClient client;

  @BeforeAll
  static void start() {
    sim = SimProvider.start(0);
    client = AnthropicOkHttpClient.builder().baseUrl(sim.baseUrl()).apiKey("dummy-key").maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    sim.close();
  }

  private static MessageCreateParams.Builder message(String userText) {
    return MessageCreateParams.builder().model("sim-claude").maxTokens(10).system("Answer briefly").addUserMessage(userText);
  }

  @Test
  void plainMessageHasTextAndUsage() {
    Message reply = client.messages().create(message("What is a sluice gate").build());

    String text = reply.content().get(0).text().orElseThrow().text();
    assertEquals(10, text.split(" ").length, text);
    assertTrue(reply.id().startsWith("msg_"), reply.id());
    assertEquals("sim-claude", reply.model().asString());
    assertEquals("end_turn", reply.stopReason().orElseThrow().asString());
    // system 2 words, user 5 words; +3 each, +3 overall
    assertEquals(2 + 3 + 5 + 3 + 3, reply.usage().inputTokens());
    assertEquals(10, reply.usage().outputTokens());
  }

  @Test
  void streamedMessageMatchesPlainTextAndReportsUsage() {
    String plain = client.messages().create(message("Stream a reply").build()).content().get(0).text().orElseThrow().text();

    List<RawMessageStreamEvent> events = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(message("Stream a reply").build())) {
      stream.stream().forEach(events::add);
    }

    String streamed =
        events.stream()
            .flatMap(e -> e.contentBlockDelta().stream())
            .flatMap(d -> d.delta().text().stream())
            .map(t -> t.text())
            .collect(Collectors.joining());
    assertEquals(plain, streamed);
    assertTrue(events.get(0).isMessageStart());
    assertEquals(2 + 3 + 3 + 3 + 3, events.get(0).messageStart().orElseThrow().message().usage().inputTokens());
    assertTrue(events.get(1).isContentBlockStart());
    assertEquals(10, events.stream().filter(RawMessageStreamEvent::isContentBlockDelta).count());
    var delta = events.stream().flatMap(e -> e.messageDelta().stream()).findFirst().orElseThrow();
    assertEquals(10, delta.usage().outputTokens());
    assertEquals("end_turn", delta.delta().stopReason().orElseThrow().asString());
    assertTrue(events.get(events.size() - 1).isMessageStop());
  }

  @Test
  void maxTokensBelowRequestedLengthStopsWithMaxTokens() {
    Message reply = client.messages().create(message("cut me").maxTokens(3).putAdditionalHeader("x-sim", "tokens=40").build());

    assertEquals(3, reply.usage().outputTokens());
    assertEquals("max_tokens", reply.stopReason().orElseThrow().asString());
  }

  @Test
  void simulatedOverloadSurfacesAsSdkErrorWithAnthropicErrorType() {
    AnthropicServiceException error =
        assertThrows(AnthropicServiceException.class, () -> client.messages().create(message("fail").putAdditionalHeader("x-sim", "status=529").build()));

    assertEquals(529, error.statusCode());
    @SuppressWarnings("unchecked")
    JsonObject body = new JsonObject((Map<String, Object>) error.body().convert(Map.class));
    assertEquals("overloaded_error", body.getJsonObject("error").getString("type"));
  }
}
