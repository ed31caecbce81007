package io.sluice.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK against the sim's OpenAI-compatible endpoints. */
class OpenAiSdkTest {
  private static SimProvider sim;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    sim = SimProvider.start(0);
    client = OpenAIOkHttpClient.builder().baseUrl(sim.baseUrl() + "/v1").apiKey("sk-dummy").maxRetries(0).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    sim.close();
  }

  private static ChatCompletionCreateParams.Builder chat(String userText) {
    return ChatCompletionCreateParams.builder().model("sim-gpt").addSystemMessage("You are terse.").addUserMessage(userText).maxCompletionTokens(12);
  }

  @Test
  void plainCompletionHasDeterministicLengthAndUsage() {
    ChatCompletion completion = client.chat().completions().create(chat("Tell me about rivers").build());

    String content = completion.choices().get(0).message().content().orElseThrow();
    assertEquals(12, content.split(" ").length, content);
    assertEquals("sim-gpt", completion.model());
    assertTrue(completion.id().startsWith("chatcmpl-"), completion.id());
    assertEquals("stop", completion.choices().get(0).finishReason().asString());
    // system "You are terse." = 3 words, user = 4 words; +3 per message, +3 overall
    assertEquals(3 + 3 + 4 + 3 + 3, completion.usage().orElseThrow().promptTokens());
    assertEquals(12, completion.usage().orElseThrow().completionTokens());
    assertEquals(28, completion.usage().orElseThrow().totalTokens());
  }

  @Test
  void streamedWordsEqualPlainContentAndEndWithUsageChunk() {
    String plain = client.chat().completions().create(chat("Stream me something").build()).choices().get(0).message().content().orElseThrow();

    List<ChatCompletionChunk> chunks = new ArrayList<>();
    ChatCompletionCreateParams streamed = chat("Stream me something").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(streamed)) {
      stream.stream().forEach(chunks::add);
    }

    String joined =
        chunks.stream()
            .flatMap(c -> c.choices().stream())
            .map(choice -> choice.delta().content().orElse(""))
            .collect(Collectors.joining());
    assertEquals(plain, joined);
    assertEquals("assistant", chunks.get(0).choices().get(0).delta().role().orElseThrow().asString());
    // role chunk + 12 words + finish chunk + usage chunk
    assertEquals(15, chunks.size());
    assertEquals("stop", chunks.get(13).choices().get(0).finishReason().orElseThrow().asString());
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertTrue(last.choices().isEmpty());
    assertEquals(12, last.usage().orElseThrow().completionTokens());
    assertEquals(3 + 3 + 3 + 3 + 3, last.usage().orElseThrow().promptTokens());
  }

  @Test
  void tokensDirectiveBeyondMaxTokensIsCutWithFinishReasonLength() {
    ChatCompletion completion =
        client.chat().completions().create(chat("long please").maxCompletionTokens(4).putAdditionalHeader("x-sim", "tokens=50").build());

    assertEquals(4, completion.choices().get(0).message().content().orElseThrow().split(" ").length);
    assertEquals("length", completion.choices().get(0).finishReason().asString());
  }

  @Test
  void embeddingsAreUnitVectorsOfRequestedLengthAndDeterministic() {
    EmbeddingCreateParams params = EmbeddingCreateParams.builder().model("sim-embed").inputOfArrayOfStrings(List.of("alpha beta", "gamma")).dimensions(16).build();
    CreateEmbeddingResponse first = client.embeddings().create(params); // the SDK asks for base64 by default
    CreateEmbeddingResponse second = client.embeddings().create(params);

    assertEquals(2, first.data().size());
    List<Float> vector = first.data().get(0).embedding();
    assertEquals(16, vector.size());
    double norm = Math.sqrt(vector.stream().mapToDouble(v -> v * v).sum());
    assertEquals(1.0, norm, 1e-5);
    assertEquals(vector, second.data().get(0).embedding());
    assertNotEquals(vector, first.data().get(1).embedding());
    assertEquals(3, first.usage().promptTokens());
  }

  @Test
  void floatEmbeddingsMatchBase64Ones() {
    List<Float> viaSdk =
        client.embeddings().create(EmbeddingCreateParams.builder().model("sim-embed").input("same text").build()).data().get(0).embedding();

    JsonObject raw = new JsonObject(new SimHttp(sim).post("/v1/embeddings", "{\"model\":\"sim-embed\",\"input\":\"same text\"}").body());
    List<Float> floats = raw.getJsonArray("data").getJsonObject(0).getJsonArray("embedding").stream().map(v -> ((Number) v).floatValue()).toList();

    assertEquals(Embeddings.DEFAULT_DIMENSIONS, floats.size());
    assertEquals(viaSdk, floats);
  }

  @Test
  void modelListNamesTheSimModels() {
    List<String> ids = client.models().list().data().stream().map(Model::id).toList();

    assertEquals(List.of("sim-gpt", "sim-gpt-mini", "sim-claude", "sim-gemini", "sim-embed"), ids);
    assertFalse(ids.isEmpty());
  }
}
