package io.sluice.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIIoException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each x-sim directive does what it claims, observed from real clients. */
class FaultDirectivesTest {
  private static final String CHAT = "/v1/chat/completions";
  private static final String OPENAI_PLAIN = "{\"model\":\"sim-gpt\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
  private static final String OPENAI_STREAM =
      "{\"model\":\"sim-gpt\",\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
  private static final String ANTHROPIC_PLAIN = "{\"model\":\"sim-claude\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  private static final String ANTHROPIC_STREAM =
      "{\"model\":\"sim-claude\",\"max_tokens\":5,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  private static final String GEMINI_PATH = "/v1beta/models/sim-gemini:generateContent";
  private static final String GEMINI_PLAIN = "{\"contents\":[{\"parts\":[{\"text\":\"hello\"}]}]}";

  private static SimProvider sim;
  private static SimHttp http;

  @BeforeAll
  static void start() {
    sim = SimProvider.start(0);
    http = new SimHttp(sim);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @BeforeEach
  void reset() {
    http.resetStatsAndRules();
  }

  private static long millisSince(long startNanos, long thenNanos) {
    return Duration.ofNanos(thenNanos - startNanos).toMillis();
  }

  @Test
  void status503UsesEachProvidersErrorFormat() {
    HttpResponse<String> openAi = http.post(CHAT, OPENAI_PLAIN, "x-sim", "status=503");
    HttpResponse<String> anthropic = http.post("/v1/messages", ANTHROPIC_PLAIN, "x-sim", "status=503");
    HttpResponse<String> gemini = http.post(GEMINI_PATH, GEMINI_PLAIN, "x-sim", "status=503");

    assertEquals(503, openAi.statusCode());
    JsonObject openAiError = new JsonObject(openAi.body()).getJsonObject("error");
    assertEquals("server_error", openAiError.getString("type"));
    assertTrue(openAiError.containsKey("param") && openAiError.getValue("param") == null);
    assertTrue(openAiError.containsKey("code"));
    assertFalse(openAiError.getString("message").isBlank());

    assertEquals(503, anthropic.statusCode());
    JsonObject anthropicBody = new JsonObject(anthropic.body());
    assertEquals("error", anthropicBody.getString("type"));
    assertEquals("overloaded_error", anthropicBody.getJsonObject("error").getString("type"));

    assertEquals(503, gemini.statusCode());
    JsonObject geminiError = new JsonObject(gemini.body()).getJsonObject("error");
    assertEquals(503, geminiError.getInteger("code"));
    assertEquals("UNAVAILABLE", geminiError.getString("status"));
  }

  @Test
  void rateLimitCarriesRetryAfter() {
    HttpResponse<String> openAi = http.post(CHAT, OPENAI_PLAIN, "x-sim", "status=429;retry-after=2");
    HttpResponse<String> anthropic = http.post("/v1/messages", ANTHROPIC_PLAIN, "x-sim", "status=429; retry-after=2");

    assertEquals(429, openAi.statusCode());
    assertEquals("2", openAi.headers().firstValue("retry-after").orElse(null));
    assertEquals("rate_limit_exceeded", new JsonObject(openAi.body()).getJsonObject("error").getString("code"));
    assertEquals(429, anthropic.statusCode());
    assertEquals("2", anthropic.headers().firstValue("retry-after").orElse(null));
    assertEquals("rate_limit_error", new JsonObject(anthropic.body()).getJsonObject("error").getString("type"));
  }

  @Test
  void hangHoldsTheRequestUntilTheClientGivesUpAndCountsTheCancel() {
    OpenAIClient impatient =
        OpenAIOkHttpClient.builder().baseUrl(sim.baseUrl() + "/v1").apiKey("sk-dummy").maxRetries(0).timeout(Duration.ofMillis(300)).build();
    try {
      ChatCompletionCreateParams params =
          ChatCompletionCreateParams.builder().model("sim-gpt").addUserMessage("anyone there?").putAdditionalHeader("x-sim", "hang").build();

      assertThrows(OpenAIIoException.class, () -> impatient.chat().completions().create(params));
    } finally {
      impatient.close();
    }

    SimHttp.await("the hung request to be counted as cancelled", () -> http.stats().getLong("cancelled") == 1);
    assertEquals(1, http.stats().getLong("requests"));
  }

  @Test
  void latencyDelaysTheResponseHeaders() {
    long start = System.nanoTime();
    HttpResponse<?> response = http.open(CHAT, OPENAI_PLAIN, "x-sim", "latency=250;jitter=20");

    assertTrue(millisSince(start, System.nanoTime()) >= 250);
    assertEquals(200, response.statusCode());
  }

  @Test
  void firstStreamChunkNotBeforeTtft() {
    long start = System.nanoTime();
    SimHttp.Stream stream = http.stream(CHAT, OPENAI_STREAM, "x-sim", "ttft=300");

    long firstChunkMs = millisSince(start, stream.events().get(0).arrivedNanos());
    assertTrue(firstChunkMs >= 300, "first chunk after " + firstChunkMs + " ms");
    assertEquals("[DONE]", stream.data().get(stream.data().size() - 1));
  }

  @Test
  void gapSpacesEveryStreamChunk() {
    long start = System.nanoTime();
    SimHttp.Stream stream = http.stream(CHAT, OPENAI_STREAM, "x-sim", "gap=40");

    // role chunk + 5 words + finish chunk + [DONE] = 8 frames, so 7 gaps before the last one
    assertEquals(8, stream.events().size());
    long lastChunkMs = millisSince(start, stream.events().get(7).arrivedNanos());
    assertTrue(lastChunkMs >= 7 * 40, "last chunk after " + lastChunkMs + " ms");
  }

  @Test
  void gapOnPlainResponseDripsTheBodyIntact() {
    JsonObject undisturbed = new JsonObject(http.post(CHAT, OPENAI_PLAIN).body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message");

    long start = System.nanoTime();
    HttpResponse<String> dripped = http.post(CHAT, OPENAI_PLAIN, "x-sim", "gap=15");
    long elapsedMs = millisSince(start, System.nanoTime());

    int pieces = (dripped.body().getBytes(StandardCharsets.UTF_8).length + 15) / 16;
    assertTrue(pieces > 5, "body should need several pieces");
    assertTrue(elapsedMs >= (pieces - 1) * 15L, "whole body after " + elapsedMs + " ms for " + pieces + " pieces");
    JsonObject body = new JsonObject(dripped.body());
    assertEquals(undisturbed, body.getJsonArray("choices").getJsonObject(0).getJsonObject("message"));
  }

  @Test
  void disconnectAfterThreeSendsThreeContentChunksThenDrops() {
    SimHttp.Stream stream = http.stream(CHAT, OPENAI_STREAM, "x-sim", "disconnect-after=3");

    List<String> data = stream.data();
    assertFalse(stream.endedCleanly());
    assertEquals(4, data.size(), "role chunk + 3 content chunks: " + data);
    assertTrue(new JsonObject(data.get(0)).getJsonArray("choices").getJsonObject(0).getJsonObject("delta").containsKey("role"));
    for (String chunk : data.subList(1, 4)) {
      JsonObject choice = new JsonObject(chunk).getJsonArray("choices").getJsonObject(0);
      assertFalse(choice.getJsonObject("delta").getString("content").isEmpty());
      assertNull(choice.getValue("finish_reason"));
    }
    assertFalse(data.contains("[DONE]"));
  }

  @Test
  void disconnectAfterCountsOnlyAnthropicTextDeltas() {
    SimHttp.Stream stream = http.stream("/v1/messages", ANTHROPIC_STREAM, "x-sim", "disconnect-after=2");

    List<String> names = stream.events().stream().map(SimHttp.Event::name).toList();
    assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta"), names);
    assertFalse(stream.endedCleanly());
  }

  @Test
  void disconnectOnPlainRequestDropsBeforeAnyResponse() {
    assertThrows(UncheckedIOException.class, () -> http.post(CHAT, OPENAI_PLAIN, "x-sim", "disconnect-after=0"));
    assertEquals(200, http.post(CHAT, OPENAI_PLAIN).statusCode());
    assertEquals(0, http.stats().getLong("cancelled"), "a drop by the sim is not a client cancel");
  }

  @Test
  void malformedPlainBodyIsNotJson() {
    HttpResponse<String> response = http.post(CHAT, OPENAI_PLAIN, "x-sim", "malformed");

    assertEquals(200, response.statusCode());
    assertThrows(DecodeException.class, () -> new JsonObject(response.body()));
  }

  @Test
  void malformedStreamSendsOneBrokenEventThenCloses() {
    SimHttp.Stream stream = http.stream(CHAT, OPENAI_STREAM, "x-sim", "malformed");

    assertEquals(200, stream.status());
    assertEquals(1, stream.events().size());
    assertThrows(DecodeException.class, () -> new JsonObject(stream.data().get(0)));
    assertFalse(stream.endedCleanly());
  }

  @Test
  void unknownOrInvalidDirectivesAre400sInTheProvidersFormat() {
    HttpResponse<String> unknown = http.post(CHAT, OPENAI_PLAIN, "x-sim", "latency=10;explode");
    HttpResponse<String> flagWithValue = http.post("/v1/messages", ANTHROPIC_PLAIN, "x-sim", "hang=yes");
    HttpResponse<String> badNumber = http.post(GEMINI_PATH, GEMINI_PLAIN, "x-sim", "ttft=soon");
    HttpResponse<String> successStatus = http.post(CHAT, OPENAI_PLAIN, "x-sim", "status=200");

    assertEquals(400, unknown.statusCode());
    assertTrue(new JsonObject(unknown.body()).getJsonObject("error").getString("message").contains("'explode'"));
    assertEquals(400, flagWithValue.statusCode());
    assertEquals("invalid_request_error", new JsonObject(flagWithValue.body()).getJsonObject("error").getString("type"));
    assertEquals(400, badNumber.statusCode());
    assertEquals("INVALID_ARGUMENT", new JsonObject(badNumber.body()).getJsonObject("error").getString("status"));
    assertEquals(400, successStatus.statusCode());
  }

  @Test
  void padGrowsAnAnswerByAFieldAndAStreamByOneLongEventThatStaysValid() {
    HttpResponse<String> plain = http.post(CHAT, OPENAI_PLAIN, "x-sim", "pad=5000");
    JsonObject answer = new JsonObject(plain.body());
    assertEquals(5000, answer.getString("sim_padding").length());
    assertEquals("chat.completion", answer.getString("object"), "still the answer, with one field more");

    HttpResponse<String> raw = http.post("/v1/messages", ANTHROPIC_STREAM, "x-sim", "pad=5000");
    String[] events = raw.body().split("\n\n");
    long padded = java.util.Arrays.stream(events).filter(event -> event.length() > 5000).count();
    assertEquals(1, padded, "one event carries the filler");
    SimHttp.Stream stream = http.stream("/v1/messages", ANTHROPIC_STREAM, "x-sim", "pad=5000");
    assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta"),
        stream.events().stream().map(SimHttp.Event::name).toList().subList(0, 4), "the filler is a comment: same events");
  }

  @Test
  void badJsonAndMissingFieldsAre400s() {
    HttpResponse<String> notJson = http.post(CHAT, "{not json");
    HttpResponse<String> noModel = http.post("/v1/messages", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    HttpResponse<String> noMessages = http.post(CHAT, "{\"model\":\"sim-gpt\"}");

    assertEquals(400, notJson.statusCode());
    assertEquals("invalid_request_error", new JsonObject(notJson.body()).getJsonObject("error").getString("type"));
    assertEquals(400, noModel.statusCode());
    assertTrue(new JsonObject(noModel.body()).getJsonObject("error").getString("message").contains("model"));
    assertEquals(400, noMessages.statusCode());
    assertTrue(new JsonObject(noMessages.body()).getJsonObject("error").getString("message").contains("messages"));
  }

  @Test
  void clientAbortMidStreamCountsAsCancelled() throws Exception {
    String request =
        "POST " + CHAT + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nx-sim: gap=200\r\nContent-Length: "
            + OPENAI_STREAM.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + OPENAI_STREAM;
    try (Socket socket = new Socket("127.0.0.1", sim.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = in.readLine();
      } while (line != null && !line.startsWith("data:"));
      assertTrue(line != null, "expected a first chunk before hanging up");
    }

    SimHttp.await("the aborted stream to be counted as cancelled", () -> http.stats().getLong("cancelled") == 1);
  }
}
