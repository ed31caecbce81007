package io.sluice.orchestrator.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

class OpenAiToAnthropicAdapterTest {
    private static SimProvider sim;
    private static Deployment deployment;
    private final OpenAiToAnthropicAdapter adapter = new OpenAiToAnthropicAdapter();

    @BeforeAll
    static void startSim() {
        sim = SimProvider.start(0);
        deployment = Deployments.of(ProviderType.ANTHROPIC, sim.baseUrl(), "sim-claude", "anthropic-secret", null);
    }

    @AfterAll
    static void stopSim() {
        sim.close();
    }

    private static JsonObject chat(boolean stream) {
        return new JsonObject().put("model", "claude").put("stream", stream).put("messages", new JsonArray()
                .add(new JsonObject().put("role", "system").put("content", "You are terse."))
                .add(new JsonObject().put("role", "user").put("content", "Name three rivers.")));
    }

    @Test
    void requestMovesSystemOutAndAddsRequiredFields() {
        JsonObject request = chat(false).put("max_completion_tokens", 50).put("temperature", 0.5).put("stop", "END")
                .put("tools", new JsonArray().add(new JsonObject().put("type", "function").put("function",
                        new JsonObject().put("name", "weather").put("description", "Weather by city")
                                .put("parameters", new JsonObject().put("type", "object")))))
                .put("tool_choice", "required");
        request.getJsonArray("messages")
                .add(new JsonObject().put("role", "assistant").put("content", (String) null).put("tool_calls",
                        new JsonArray().add(new JsonObject().put("id", "call_1").put("type", "function").put("function",
                                new JsonObject().put("name", "weather").put("arguments", "{\"city\":\"Paris\"}")))))
                .add(new JsonObject().put("role", "tool").put("tool_call_id", "call_1").put("content", "sunny"));

        UpstreamRequest upstream = adapter.chatRequest(request, deployment);

        assertEquals(sim.baseUrl() + "/v1/messages", upstream.absoluteUrl());
        assertEquals("anthropic-secret", upstream.headers().get("x-api-key"));
        assertEquals("2023-06-01", upstream.headers().get("anthropic-version"));
        JsonObject body = upstream.body().toJsonObject();
        assertEquals("sim-claude", body.getString("model"));
        assertEquals("You are terse.", body.getString("system"));
        assertEquals(50, body.getInteger("max_tokens"));
        assertEquals(new JsonArray().add("END"), body.getJsonArray("stop_sequences"));
        assertEquals("object", body.getJsonArray("tools").getJsonObject(0).getJsonObject("input_schema")
                .getString("type"));
        assertEquals("any", body.getJsonObject("tool_choice").getString("type"));
        JsonArray messages = body.getJsonArray("messages");
        assertEquals(3, messages.size());
        JsonObject toolUse = messages.getJsonObject(1).getJsonArray("content").getJsonObject(0);
        assertEquals("tool_use", toolUse.getString("type"));
        assertEquals("Paris", toolUse.getJsonObject("input").getString("city"));
        JsonObject toolResult = messages.getJsonObject(2).getJsonArray("content").getJsonObject(0);
        assertEquals("user", messages.getJsonObject(2).getString("role"));
        assertEquals("call_1", toolResult.getString("tool_use_id"));
    }

    @Test
    void maxTokensDefaultsWhenTheClientSetsNone() {
        JsonObject body = adapter.chatRequest(chat(false), deployment).body().toJsonObject();
        assertEquals(OpenAiToAnthropicAdapter.DEFAULT_MAX_TOKENS, body.getInteger("max_tokens"));
    }

    @Test
    void theGatewaysOutputCapIsMaxTokensWhenTheClientSetNone() {
        JsonObject capped = OutputCap.applyTo(chat(false), OptionalInt.of(77), deployment);
        assertEquals(77, adapter.chatRequest(capped, deployment).body().toJsonObject().getInteger("max_tokens"));
        JsonObject own = OutputCap.applyTo(chat(false).put("max_completion_tokens", 12), OptionalInt.of(77), deployment);
        assertEquals(12, adapter.chatRequest(own, deployment).body().toJsonObject().getInteger("max_tokens"),
                "the client's own limit is what the gateway reserved for");
    }

    @Test
    void theStreamTellsThePromptsTokensOnceAtMessageStartForTheGatewayToBillACutStream() throws Exception {
        UpstreamCall.Answer raw = UpstreamCall.send(adapter.chatRequest(chat(true), deployment), null);
        int inputTokens = new JsonObject(raw.body().toString().lines().filter(l -> l.startsWith("data: "))
                .findFirst().orElseThrow().substring(6)).getJsonObject("message").getJsonObject("usage")
                .getInteger("input_tokens");
        StreamTranslator translator = adapter.chatStream(deployment, "claude", Deployments.MAX_EVENT_BYTES);
        // Only message_start has arrived: the comment is out before any content.
        String start = raw.body().toString();
        Buffer early = translator.translate(Buffer.buffer(start.substring(0, start.indexOf("event: content_block_start"))));
        assertEquals(List.of(inputTokens + ",0,0"), OpenAiSse.parse(early).usageComments());

        Buffer rest = translator.translate(raw.body().getBuffer(early.length() == 0 ? 0
                : start.indexOf("event: content_block_start"), raw.body().length()));
        OpenAiSse sse = OpenAiSse.parse(rest.appendBuffer(translator.finish()));
        assertEquals(List.of(), sse.usageComments(), "once per stream");
        assertEquals(inputTokens, sse.last().getJsonObject("usage").getInteger("prompt_tokens"));
    }

    @Test
    void plainAnswerCarriesTheProvidersTextUsageAndFinishReason() throws Exception {
        JsonObject request = chat(false).put("max_tokens", 12);
        UpstreamCall.Answer raw = UpstreamCall.send(adapter.chatRequest(request, deployment), "tokens=30");
        assertEquals(200, raw.status());
        JsonObject anthropic = raw.json();

        JsonObject openAi = UpstreamCall.json(adapter.chatResponse(raw.body(), deployment, "claude"));

        assertEquals("chat.completion", openAi.getString("object"));
        assertEquals("claude", openAi.getString("model"));
        JsonObject choice = openAi.getJsonArray("choices").getJsonObject(0);
        assertEquals(anthropic.getJsonArray("content").getJsonObject(0).getString("text"),
                choice.getJsonObject("message").getString("content"));
        assertEquals("length", choice.getString("finish_reason")); // Anthropic said max_tokens
        JsonObject usage = openAi.getJsonObject("usage");
        int input = anthropic.getJsonObject("usage").getInteger("input_tokens");
        int output = anthropic.getJsonObject("usage").getInteger("output_tokens");
        assertEquals(input, usage.getInteger("prompt_tokens"));
        assertEquals(output, usage.getInteger("completion_tokens"));
        assertEquals(input + output, usage.getInteger("total_tokens"));
    }

    @Test
    void endTurnIsStopAndToolUseIsToolCalls() {
        JsonObject toolAnswer = new JsonObject().put("id", "msg_1").put("stop_reason", "tool_use")
                .put("content", new JsonArray().add(new JsonObject().put("type", "tool_use").put("id", "toolu_1")
                        .put("name", "weather").put("input", new JsonObject().put("city", "Oslo"))))
                .put("usage", new JsonObject().put("input_tokens", 10).put("output_tokens", 5));
        JsonObject choice = UpstreamCall.json(adapter.chatResponse(toolAnswer.toBuffer(), deployment, "claude")).getJsonArray("choices")
                .getJsonObject(0);
        assertEquals("tool_calls", choice.getString("finish_reason"));
        JsonObject call = choice.getJsonObject("message").getJsonArray("tool_calls").getJsonObject(0);
        assertEquals("toolu_1", call.getString("id"));
        assertEquals("Oslo", new JsonObject(call.getJsonObject("function").getString("arguments")).getString("city"));
        assertNull(choice.getJsonObject("message").getString("content"));
        assertEquals("stop", OpenAiToAnthropicAdapter.finishReason("end_turn"));
        assertEquals("stop", OpenAiToAnthropicAdapter.finishReason("stop_sequence"));
    }

    @Test
    void streamedAnswerMatchesThePlainOneChunkByChunk() throws Exception {
        UpstreamCall.Answer plain = UpstreamCall.send(adapter.chatRequest(chat(false), deployment), null);
        String plainText = UpstreamCall.json(adapter.chatResponse(plain.body(), deployment, "claude")).getJsonArray("choices")
                .getJsonObject(0).getJsonObject("message").getString("content");
        JsonObject plainUsage = plain.json().getJsonObject("usage");

        StreamTranslator translator = adapter.chatStream(deployment, "claude", Deployments.MAX_EVENT_BYTES);
        UpstreamCall.Streamed streamed = UpstreamCall.stream(adapter.chatRequest(chat(true), deployment), null,
                translator);

        assertTrue(streamed.completed());
        OpenAiSse sse = OpenAiSse.parse(streamed.translated());
        assertEquals("assistant", sse.chunks().get(0).getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
                .getString("role"));
        assertEquals(plainText, sse.text());
        assertTrue(sse.contentPieces().size() > 2, "one chunk per provider delta, not merged");
        assertEquals("stop", sse.finishReason());
        assertTrue(sse.doneLast());
        JsonObject usageChunk = sse.last();
        assertTrue(usageChunk.getJsonArray("choices").isEmpty());
        assertEquals(plainUsage.getInteger("input_tokens"), usageChunk.getJsonObject("usage")
                .getInteger("prompt_tokens"));
        assertEquals(plainUsage.getInteger("output_tokens"), usageChunk.getJsonObject("usage")
                .getInteger("completion_tokens"));
        sse.chunks().forEach(chunk -> assertEquals("claude", chunk.getString("model")));
    }

    @Test
    void aStreamFedInFiveBytePiecesTranslatesAsWhole() throws Exception {
        UpstreamCall.Answer raw = UpstreamCall.send(adapter.chatRequest(chat(true), deployment), null);
        String wholeText = translatedText(raw.body(), raw.body().length());
        String pieceText = translatedText(raw.body(), 5);
        assertEquals(wholeText, pieceText);
        assertFalse(wholeText.isEmpty());
    }

    private String translatedText(Buffer stream, int pieceSize) {
        StreamTranslator translator = adapter.chatStream(deployment, "claude", Deployments.MAX_EVENT_BYTES);
        Buffer out = Buffer.buffer();
        for (int i = 0; i < stream.length(); i += pieceSize) {
            out.appendBuffer(translator.translate(stream.getBuffer(i, Math.min(stream.length(), i + pieceSize))));
        }
        out.appendBuffer(translator.finish());
        assertTrue(translator.completed());
        OpenAiSse sse = OpenAiSse.parse(out);
        assertTrue(sse.doneLast());
        return sse.text() + "|" + sse.finishReason() + "|" + sse.last().getJsonObject("usage");
    }

    @Test
    void aCutStreamIsNotCompleted() throws Exception {
        StreamTranslator translator = adapter.chatStream(deployment, "claude", Deployments.MAX_EVENT_BYTES);
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
                "status=429;retry-after=3");
        UpstreamFailure failure = adapter.failure(raw.status(), raw.headers(), raw.body());
        assertEquals(429, failure.status());
        assertTrue(failure.retryable());
        assertEquals(Optional.of(Duration.ofSeconds(3)), failure.retryAfter());
        assertEquals("upstream_rate_limited", failure.error().error().code());
    }

    @Test
    void overloadedIsARetryable503() throws Exception {
        for (String status : new String[] { "503", "529" }) {
            UpstreamCall.Answer raw = UpstreamCall.send(adapter.chatRequest(chat(false), deployment),
                    "status=" + status);
            assertEquals("overloaded_error", raw.json().getJsonObject("error").getString("type"));
            UpstreamFailure failure = adapter.failure(raw.status(), raw.headers(), raw.body());
            assertEquals(503, failure.status());
            assertTrue(failure.retryable());
        }
    }

    @Test
    void invalidRequestIsNotRetried() throws Exception {
        UpstreamCall.Answer raw = UpstreamCall.send(adapter.chatRequest(chat(false), deployment), "status=400");
        UpstreamFailure failure = adapter.failure(raw.status(), raw.headers(), raw.body());
        assertEquals(400, failure.status());
        assertFalse(failure.retryable());
        assertEquals("invalid_request_error", failure.error().error().code());
    }

    @Test
    void promptTooLongIsContextLengthExceeded() {
        Buffer body = new JsonObject().put("type", "error").put("error", new JsonObject()
                .put("type", "invalid_request_error").put("message", "prompt is too long: 212345 tokens > 200000 maximum"))
                .toBuffer();
        UpstreamFailure failure = adapter.failure(400, MultiMap.caseInsensitiveMultiMap(), body);
        assertEquals(400, failure.status());
        assertFalse(failure.retryable());
        assertEquals("context_length_exceeded", failure.error().error().code());
    }

    @Test
    void anErrorEventMidStreamIsReportedAndNotCompleted() {
        StreamTranslator translator = adapter.chatStream(deployment, "claude", Deployments.MAX_EVENT_BYTES);
        translator.translate(Buffer.buffer("event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
                + "{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n"
                + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                + "\"message\":\"Overloaded\"}}\n\n"));
        translator.finish();
        assertFalse(translator.completed());
        assertEquals(503, translator.failure().orElseThrow().status());
        assertTrue(translator.failure().orElseThrow().retryable());
    }

    @Test
    void toolUseStreamsAsToolCallDeltas() {
        StreamTranslator translator = adapter.chatStream(deployment, "claude", Deployments.MAX_EVENT_BYTES);
        Buffer out = translator.translate(Buffer.buffer(String.join("",
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\n\n",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"weather\",\"input\":{}}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Rome\\\"}\"}}\n\n",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":7}}\n\n",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")));
        assertTrue(translator.completed());
        OpenAiSse sse = OpenAiSse.parse(out);
        StringBuilder arguments = new StringBuilder();
        String callId = null;
        for (JsonObject chunk : sse.chunks()) {
            JsonArray choices = chunk.getJsonArray("choices");
            JsonArray calls = choices.isEmpty() ? null : choices.getJsonObject(0).getJsonObject("delta")
                    .getJsonArray("tool_calls");
            if (calls != null) {
                JsonObject call = calls.getJsonObject(0);
                callId = callId == null ? call.getString("id") : callId;
                arguments.append(call.getJsonObject("function").getString("arguments"));
            }
        }
        assertEquals("toolu_9", callId);
        assertEquals("Rome", new JsonObject(arguments.toString()).getString("city"));
        assertEquals("tool_calls", sse.finishReason());
        assertEquals(7, sse.last().getJsonObject("usage").getInteger("completion_tokens"));
    }

    @Test
    void embeddingsAreRefusedClearly() {
        UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
                () -> adapter.embeddingsRequest(new JsonObject().put("input", "x"), deployment));
        assertTrue(refused.getMessage().contains("no embeddings"));
    }
}
