package io.sluice.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Gemini endpoints over plain java.net.http. */
class GeminiHttpTest {
  private static final String REQUEST =
      """
      {"systemInstruction": {"parts": [{"text": "Be kind"}]},
       "contents": [{"role": "user", "parts": [{"text": "Describe a quiet valley"}]}],
       "generationConfig": {"maxOutputTokens": 7}}
      """;

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

  private static String text(JsonObject response) {
    return response.getJsonArray("candidates").getJsonObject(0).getJsonObject("content").getJsonArray("parts").getJsonObject(0).getString("text");
  }

  @Test
  void generateContentReturnsCandidateAndUsage() {
    HttpResponse<String> response = http.post("/v1beta/models/sim-gemini:generateContent", REQUEST);

    assertEquals(200, response.statusCode());
    JsonObject body = new JsonObject(response.body());
    assertEquals(7, text(body).split(" ").length);
    JsonObject candidate = body.getJsonArray("candidates").getJsonObject(0);
    assertEquals("model", candidate.getJsonObject("content").getString("role"));
    assertEquals("STOP", candidate.getString("finishReason"));
    assertEquals("sim-gemini", body.getString("modelVersion"));
    JsonObject usage = body.getJsonObject("usageMetadata");
    assertEquals(2 + 3 + 4 + 3 + 3, usage.getInteger("promptTokenCount"));
    assertEquals(7, usage.getInteger("candidatesTokenCount"));
    assertEquals(15 + 7, usage.getInteger("totalTokenCount"));
  }

  @Test
  void sseStreamSendsOneWordPerEventAndFinishesWithUsage() {
    String plain = text(new JsonObject(http.post("/v1beta/models/sim-gemini:generateContent", REQUEST).body()));

    SimHttp.Stream stream = http.stream("/v1beta/models/sim-gemini:streamGenerateContent?alt=sse", REQUEST);

    assertEquals(200, stream.status());
    assertTrue(stream.endedCleanly());
    List<JsonObject> chunks = stream.data().stream().map(JsonObject::new).toList();
    assertEquals(7, chunks.size());
    assertEquals(plain, chunks.stream().map(GeminiHttpTest::text).collect(Collectors.joining()));
    JsonObject last = chunks.get(6);
    assertEquals("STOP", last.getJsonArray("candidates").getJsonObject(0).getString("finishReason"));
    assertEquals(7, last.getJsonObject("usageMetadata").getInteger("candidatesTokenCount"));
    assertFalse(chunks.get(0).getJsonArray("candidates").getJsonObject(0).containsKey("finishReason"));
    // As Gemini does, every chunk tells the prompt's count, so a client knows it from the first one.
    int prompt = last.getJsonObject("usageMetadata").getInteger("promptTokenCount");
    assertEquals(prompt, chunks.get(0).getJsonObject("usageMetadata").getInteger("promptTokenCount"));
    assertEquals(1, chunks.get(0).getJsonObject("usageMetadata").getInteger("candidatesTokenCount"));
  }

  @Test
  void streamWithoutSseIsOneJsonArray() {
    HttpResponse<String> response = http.post("/v1beta/models/sim-gemini:streamGenerateContent", REQUEST);

    assertEquals(200, response.statusCode());
    JsonArray chunks = new JsonArray(response.body());
    assertEquals(7, chunks.size());
    String joined = chunks.stream().map(c -> text((JsonObject) c)).collect(Collectors.joining());
    assertEquals(text(new JsonObject(http.post("/v1beta/models/sim-gemini:generateContent", REQUEST).body())), joined);
    assertEquals("STOP", chunks.getJsonObject(6).getJsonArray("candidates").getJsonObject(0).getString("finishReason"));
  }

  @Test
  void tokensDirectiveAboveMaxOutputTokensFinishesWithMaxTokens() {
    JsonObject body = new JsonObject(http.post("/v1beta/models/sim-gemini:generateContent", REQUEST, "x-sim", "tokens=100").body());

    assertEquals("MAX_TOKENS", body.getJsonArray("candidates").getJsonObject(0).getString("finishReason"));
    assertEquals(7, body.getJsonObject("usageMetadata").getInteger("candidatesTokenCount"));
  }

  @Test
  void embedContentAndBatchAgree() {
    JsonObject single =
        new JsonObject(http.post("/v1beta/models/sim-embed:embedContent", "{\"content\":{\"parts\":[{\"text\":\"hello world\"}]},\"outputDimensionality\":12}").body());
    JsonObject batch =
        new JsonObject(
            http.post(
                    "/v1beta/models/sim-embed:batchEmbedContents",
                    "{\"requests\":[{\"model\":\"models/sim-embed\",\"content\":{\"parts\":[{\"text\":\"hello world\"}]},\"outputDimensionality\":12},"
                        + "{\"model\":\"models/sim-embed\",\"content\":{\"parts\":[{\"text\":\"other\"}]}}]}")
                .body());

    JsonArray values = single.getJsonObject("embedding").getJsonArray("values");
    assertEquals(12, values.size());
    assertEquals(values, batch.getJsonArray("embeddings").getJsonObject(0).getJsonArray("values"));
    assertEquals(Embeddings.DEFAULT_DIMENSIONS, batch.getJsonArray("embeddings").getJsonObject(1).getJsonArray("values").size());
  }

  @Test
  void missingContentsIsA400InGeminiFormat() {
    HttpResponse<String> response = http.post("/v1beta/models/sim-gemini:generateContent", "{\"generationConfig\":{}}");

    assertEquals(400, response.statusCode());
    JsonObject error = new JsonObject(response.body()).getJsonObject("error");
    assertEquals(400, error.getInteger("code"));
    assertEquals("INVALID_ARGUMENT", error.getString("status"));
    assertTrue(error.getString("message").contains("contents"), error.getString("message"));
  }
}
