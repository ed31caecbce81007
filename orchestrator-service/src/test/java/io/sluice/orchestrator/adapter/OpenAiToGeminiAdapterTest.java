package io.sluice.orchestrator.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.ProviderType;
import io.sluice.sim.SimProvider;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

class OpenAiToGeminiAdapterTest {
    private static SimProvider sim;
    private static Deployment deployment;
    private final OpenAiToGeminiAdapter adapter = new OpenAiToGeminiAdapter();

    @BeforeAll
    static void startSim() {
        sim = SimProvider.start(0);
        deployment = Deployments.of(ProviderType.GEMINI, sim.baseUrl(), "sim-gemini", "gemini-secret", null);
    }

    @AfterAll
    static void stopSim() {
        sim.close();
    }

    private static JsonObject chat(boolean stream) {
        return new JsonObject().put("model", "gemini").put("stream", stream).put("messages", new JsonArray()
                .add(new JsonObject().put("role", "system").put("content", "Answer briefly."))
                .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                        .add(new JsonObject().put("type", "text").put("text", "Which planet is largest?"))))
                .add(new JsonObject().put("role", "assistant").put("content", "Jupiter."))
                .add(new JsonObject().put("role", "user").put("content", "And the smallest?")));
    }

    @Test
    void requestUsesContentsSystemInstructionAndGenerationConfig() {
        UpstreamRequest upstream = adapter.chatRequest(chat(false).put("max_tokens", 40).put("temperature", 0.1)
                .put("top_p", 0.9).put("stop", new JsonArray().add("\n\n")), deployment);

        assertEquals(sim.baseUrl() + "/v1beta/models/sim-gemini:generateContent", upstream.absoluteUrl());
        assertEquals("gemini-secret", upstream.headers().get("x-goog-api-key"));
        JsonObject body = upstream.body().toJsonObject();
        assertEquals("Answer briefly.", body.getJsonObject("systemInstruction").getJsonArray("parts").getJsonObject(0)
                .getString("text"));
        JsonArray contents = body.getJsonArray("contents");
        assertEquals(3, contents.size());
        assertEquals("user", contents.getJsonObject(0).getString("role"));
        assertEquals("model", contents.getJsonObject(1).getString("role"));
        assertEquals("Which planet is largest?", contents.getJsonObject(0).getJsonArray("parts").getJsonObject(0)
                .getString("text"));
        JsonObject config = body.getJsonObject("generationConfig");
        assertEquals(40, config.getInteger("maxOutputTokens"));
        assertEquals(0.1, config.getDouble("temperature"));
        assertEquals(0.9, config.getDouble("topP"));
        assertEquals(new JsonArray().add("\n\n"), config.getJsonArray("stopSequences"));
        assertEquals(sim.baseUrl() + "/v1beta/models/sim-gemini:streamGenerateContent?alt=sse",
                adapter.chatRequest(chat(true), deployment).absoluteUrl());
    }

    @Test
    void theGatewaysOutputCapIsMaxOutputTokensWhenTheClientSetNone() {
        JsonObject capped = OutputCap.applyTo(chat(false), OptionalInt.of(77), deployment);
        assertEquals(77, adapter.chatRequest(capped, deployment).body().toJsonObject()
                .getJsonObject("generationConfig").getInteger("maxOutputTokens"));
        JsonObject own = OutputCap.applyTo(chat(false).put("max_tokens", 12), OptionalInt.of(77), deployment);
        assertEquals(12, adapter.chatRequest(own, deployment).body().toJsonObject()
                .getJsonObject("generationConfig").getInteger("maxOutputTokens"));
    }

    @Test
    void theStreamTellsThePromptsTokensOnceWithTheFirstChunkForTheGatewayToBillACutStream() throws Exception {
        UpstreamCall.Answer raw = UpstreamCall.send(adapter.chatRequest(chat(true), deployment), null);
        String events = raw.body().toString();
        int firstEnd = events.indexOf("\n\n") + 2;
        JsonObject first = new JsonObject(events.substring("data: ".length(), firstEnd).strip());
        int prompt = first.getJsonObject("usageMetadata").getInteger("promptTokenCount");
        StreamTranslator translator = adapter.chatStream(deployment, "gemini", Deployments.MAX_EVENT_BYTES);

        OpenAiSse early = OpenAiSse.parse(translator.translate(Buffer.buffer(events.substring(0, firstEnd))));
        OpenAiSse rest = OpenAiSse.parse(translator.translate(Buffer.buffer(events.substring(firstEnd)))
                .appendBuffer(translator.finish()));

        assertEquals(List.of(prompt + ",0,0"), early.usageComments(), "with the first chunk, before the usage chunk");
        assertEquals(List.of(), rest.usageComments(), "once per stream");
        assertEquals(prompt, rest.last().getJsonObject("usage").getInteger("prompt_tokens"));
    }

    @Test
    void plainAnswerCarriesTheProvidersTextUsageAndFinishReason() throws Exception {
        UpstreamCall.Answer raw = UpstreamCall.send(adapter.chatRequest(chat(false).put("max_tokens", 10), deployment),
                "tokens=25");
        assertEquals(200, raw.status());
        JsonObject gemini = raw.json();

        JsonObject openAi = UpstreamCall.json(adapter.chatResponse(raw.body(), deployment, "gemini"));

        JsonObject choice = openAi.getJsonArray("choices").getJsonObject(0);
        assertEquals(gemini.getJsonArray("candidates").getJsonObject(0).getJsonObject("content").getJsonArray("parts")
                .getJsonObject(0).getString("text"), choice.getJsonObject("message").getString("content"));
        assertEquals("length", choice.getString("finish_reason"));
        JsonObject metadata = gemini.getJsonObject("usageMetadata");
        JsonObject usage = openAi.getJsonObject("usage");
        assertEquals(metadata.getInteger("promptTokenCount"), usage.getInteger("prompt_tokens"));
        assertEquals(metadata.getInteger("candidatesTokenCount"), usage.getInteger("completion_tokens"));
        assertEquals(metadata.getInteger("totalTokenCount"), usage.getInteger("total_tokens"));
        assertEquals("gemini", openAi.getString("model"));
    }

    @Test
    void finishReasonsMap() {
        JsonObject none = new JsonObject();
        assertEquals("stop", OpenAiToGeminiAdapter.finishReason("STOP", none));
        assertEquals("length", OpenAiToGeminiAdapter.finishReason("MAX_TOKENS", none));
        assertEquals("content_filter", OpenAiToGeminiAdapter.finishReason("SAFETY", none));
        assertEquals("content_filter", OpenAiToGeminiAdapter.finishReason("RECITATION", none));
    }

    @Test
    void streamedAnswerMatchesThePlainOneChunkByChunk() throws Exception {
        UpstreamCall.Answer plain = UpstreamCall.send(adapter.chatRequest(chat(false), deployment), null);
        JsonObject plainOpenAi = UpstreamCall.json(adapter.chatResponse(plain.body(), deployment, "gemini"));

        StreamTranslator translator = adapter.chatStream(deployment, "gemini", Deployments.MAX_EVENT_BYTES);
        UpstreamCall.Streamed streamed = UpstreamCall.stream(adapter.chatRequest(chat(true), deployment), null,
                translator);

        assertTrue(streamed.completed());
        OpenAiSse sse = OpenAiSse.parse(streamed.translated());
        assertEquals("assistant", sse.chunks().get(0).getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
                .getString("role"));
        assertEquals(plainOpenAi.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"),
                sse.text());
        assertTrue(sse.contentPieces().size() > 2, "one chunk per provider event, not merged");
        assertEquals("stop", sse.finishReason());
        assertTrue(sse.doneLast());
        assertTrue(sse.last().getJsonArray("choices").isEmpty());
        assertEquals(plainOpenAi.getJsonObject("usage").getInteger("prompt_tokens"),
                sse.last().getJsonObject("usage").getInteger("prompt_tokens"));
        assertEquals(plainOpenAi.getJsonObject("usage").getInteger("completion_tokens"),
                sse.last().getJsonObject("usage").getInteger("completion_tokens"));
    }

    @Test
    void aStreamFedInFiveBytePiecesTranslatesAsWhole() throws Exception {
        UpstreamCall.Answer raw = UpstreamCall.send(adapter.chatRequest(chat(true), deployment), null);
        assertEquals(translatedText(raw.body(), raw.body().length()), translatedText(raw.body(), 5));
    }

    private String translatedText(Buffer stream, int pieceSize) {
        StreamTranslator translator = adapter.chatStream(deployment, "gemini", Deployments.MAX_EVENT_BYTES);
        Buffer out = Buffer.buffer();
        for (int i = 0; i < stream.length(); i += pieceSize) {
            out.appendBuffer(translator.translate(stream.getBuffer(i, Math.min(stream.length(), i + pieceSize))));
        }
        out.appendBuffer(translator.finish());
        assertTrue(translator.completed());
        OpenAiSse sse = OpenAiSse.parse(out);
        assertTrue(sse.doneLast());
        assertFalse(sse.text().isEmpty());
        return sse.text() + "|" + sse.finishReason() + "|" + sse.last().getJsonObject("usage");
    }

    @Test
    void aCutStreamIsNotCompleted() throws Exception {
        StreamTranslator translator = adapter.chatStream(deployment, "gemini", Deployments.MAX_EVENT_BYTES);
        UpstreamCall.Streamed streamed = UpstreamCall.stream(adapter.chatRequest(chat(true), deployment),
                "disconnect-after=2;gap=20", translator); // gap: both frames reach us before the drop
        assertFalse(streamed.completed());
        OpenAiSse sse = OpenAiSse.parse(streamed.translated());
        assertFalse(sse.done());
        assertEquals(2, sse.contentPieces().size());
    }

    @Test
    void rateLimitIsRetryableAfterTheProvidersDelay() throws Exception {
        UpstreamCall.Answer raw = UpstreamCall.send(adapter.chatRequest(chat(false), deployment),
                "status=429;retry-after=2");
        UpstreamFailure failure = adapter.failure(raw.status(), raw.headers(), raw.body());
        assertEquals(429, failure.status());
        assertTrue(failure.retryable());
        assertEquals(Optional.of(Duration.ofSeconds(2)), failure.retryAfter());
    }

    @Test
    void unavailableIsARetryable503() throws Exception {
        UpstreamCall.Answer raw = UpstreamCall.send(adapter.chatRequest(chat(false), deployment), "status=503");
        UpstreamFailure failure = adapter.failure(raw.status(), raw.headers(), raw.body());
        assertEquals(503, failure.status());
        assertTrue(failure.retryable());
    }

    @Test
    void invalidArgumentIsNotRetried() throws Exception {
        UpstreamCall.Answer raw = UpstreamCall.send(adapter.chatRequest(chat(false), deployment), "status=400");
        UpstreamFailure failure = adapter.failure(raw.status(), raw.headers(), raw.body());
        assertEquals(400, failure.status());
        assertFalse(failure.retryable());
    }

    @Test
    void tooManyInputTokensIsContextLengthExceeded() {
        Buffer body = new JsonObject().put("error", new JsonObject().put("code", 400).put("status", "INVALID_ARGUMENT")
                .put("message", "The input token count (1200000) exceeds the maximum number of tokens allowed "
                        + "(1048576).")).toBuffer();
        UpstreamFailure failure = adapter.failure(400, MultiMap.caseInsensitiveMultiMap(), body);
        assertFalse(failure.retryable());
        assertEquals("context_length_exceeded", failure.error().error().code());
    }

    @Test
    void embeddingsTranslateToAnOpenAiListWithEstimatedUsage() throws Exception {
        JsonObject request = new JsonObject().put("model", "embed").put("dimensions", 6)
                .put("input", new JsonArray().add("first text").add("second, longer text"));
        UpstreamRequest upstream = adapter.embeddingsRequest(request, deployment);
        assertEquals(sim.baseUrl() + "/v1beta/models/sim-gemini:batchEmbedContents", upstream.absoluteUrl());
        assertEquals("models/sim-gemini", upstream.body().toJsonObject().getJsonArray("requests").getJsonObject(0)
                .getString("model"));

        UpstreamCall.Answer raw = UpstreamCall.send(upstream, null);
        assertEquals(200, raw.status());
        JsonObject openAi = UpstreamCall.json(adapter.embeddingsResponse(raw.body(), request, deployment, "embed"));

        assertEquals("list", openAi.getString("object"));
        JsonArray data = openAi.getJsonArray("data");
        assertEquals(2, data.size());
        assertEquals(1, data.getJsonObject(1).getInteger("index"));
        assertEquals(raw.json().getJsonArray("embeddings").getJsonObject(1).getJsonArray("values"),
                data.getJsonObject(1).getJsonArray("embedding"));
        assertEquals(6, data.getJsonObject(0).getJsonArray("embedding").size());
        assertTrue(openAi.getJsonObject("usage").getInteger("prompt_tokens") > 0);
    }

    @Test
    void functionCallsBecomeToolCallsInAnswersAndCrlfStreams() {
        JsonObject call = new JsonObject().put("functionCall", new JsonObject().put("name", "weather")
                .put("args", new JsonObject().put("city", "Lima")));
        JsonObject response = new JsonObject().put("responseId", "r1").put("candidates", new JsonArray()
                .add(new JsonObject().put("finishReason", "STOP").put("content", new JsonObject().put("role", "model")
                        .put("parts", new JsonArray().add(call)))))
                .put("usageMetadata", new JsonObject().put("promptTokenCount", 8).put("candidatesTokenCount", 3));

        JsonObject choice = UpstreamCall.json(adapter.chatResponse(response.toBuffer(), deployment, "gemini")).getJsonArray("choices")
                .getJsonObject(0);
        assertEquals("tool_calls", choice.getString("finish_reason"));
        JsonObject function = choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0)
                .getJsonObject("function");
        assertEquals("weather", function.getString("name"));
        assertEquals("Lima", new JsonObject(function.getString("arguments")).getString("city"));

        // Google's servers end SSE events with \r\n\r\n.
        StreamTranslator translator = adapter.chatStream(deployment, "gemini", Deployments.MAX_EVENT_BYTES);
        OpenAiSse sse = OpenAiSse.parse(translator.translate(Buffer.buffer("data: " + response.encode() + "\r\n\r\n")));
        assertTrue(translator.completed());
        assertEquals("tool_calls", sse.finishReason());
        assertEquals(8, sse.last().getJsonObject("usage").getInteger("prompt_tokens"));
        assertTrue(sse.doneLast());
    }
}
