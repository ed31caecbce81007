package io.sluice.orchestrator.adapter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.sluice.orchestrator.catalog.Deployment;
import io.sluice.orchestrator.catalog.ProviderType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A request the translating adapters cannot read is the client's 400 naming the field, never a
 * ClassCastException that would count against the deployment's breaker.
 */
class MalformedRequestTest {
    private static final Deployment ANTHROPIC = Deployments.of(ProviderType.ANTHROPIC, "http://127.0.0.1:1", "claude",
            "k", null);
    private static final Deployment GEMINI = Deployments.of(ProviderType.GEMINI, "http://127.0.0.1:1", "gemini", "k",
            null);
    private static final List<ProviderAdapter> TRANSLATING = List.of(new OpenAiToAnthropicAdapter(),
            new OpenAiToGeminiAdapter());

    private static JsonObject chat() {
        return new JsonObject().put("model", "m").put("messages", new JsonArray()
                .add(new JsonObject().put("role", "system").put("content", "be brief"))
                .add(new JsonObject().put("role", "user").put("content", "hi"))
                .add(new JsonObject().put("role", "user").put("content", new JsonArray()
                        .add(new JsonObject().put("type", "text").put("text", "look")))));
    }

    private static JsonObject tool(String name) {
        return new JsonObject().put("type", "function").put("function", new JsonObject().put("name", name)
                .put("parameters", new JsonObject().put("type", "object")));
    }

    private static JsonObject message(JsonObject request, int index) {
        return request.getJsonArray("messages").getJsonObject(index);
    }

    static Stream<Arguments> malformedChats() {
        return Stream.of(
                Arguments.of("messages", (UnaryOperator<JsonObject>) r -> r.put("messages", "hi")),
                Arguments.of("messages[1]", (UnaryOperator<JsonObject>) r -> {
                    r.getJsonArray("messages").set(1, "hi");
                    return r;
                }),
                Arguments.of("messages[1].content", (UnaryOperator<JsonObject>) r -> {
                    message(r, 1).put("content", 42);
                    return r;
                }),
                Arguments.of("messages[0].content", (UnaryOperator<JsonObject>) r -> {
                    message(r, 0).put("content", new JsonObject());
                    return r;
                }),
                Arguments.of("messages[2].content[0]", (UnaryOperator<JsonObject>) r -> {
                    message(r, 2).getJsonArray("content").set(0, "look");
                    return r;
                }),
                Arguments.of("messages[2].content[0].text", (UnaryOperator<JsonObject>) r -> {
                    message(r, 2).getJsonArray("content").getJsonObject(0).put("text", new JsonArray());
                    return r;
                }),
                Arguments.of("messages[2].content[1].image_url", (UnaryOperator<JsonObject>) r -> {
                    message(r, 2).getJsonArray("content").add(new JsonObject().put("type", "image_url")
                            .put("image_url", "https://example.test/cat.png"));
                    return r;
                }),
                Arguments.of("messages[2].content[1].image_url.url", (UnaryOperator<JsonObject>) r -> {
                    message(r, 2).getJsonArray("content").add(new JsonObject().put("type", "image_url")
                            .put("image_url", new JsonObject()));
                    return r;
                }),
                Arguments.of("messages[1].role", (UnaryOperator<JsonObject>) r -> {
                    message(r, 1).put("role", 7);
                    return r;
                }),
                Arguments.of("messages[3].tool_calls", (UnaryOperator<JsonObject>) r -> {
                    r.getJsonArray("messages").add(new JsonObject().put("role", "assistant").put("tool_calls", "x"));
                    return r;
                }),
                Arguments.of("messages[3].tool_calls[0].function.name", (UnaryOperator<JsonObject>) r -> {
                    r.getJsonArray("messages").add(new JsonObject().put("role", "assistant").put("tool_calls",
                            new JsonArray().add(new JsonObject().put("id", "c1").put("function",
                                    new JsonObject().put("arguments", "{}")))));
                    return r;
                }),
                Arguments.of("messages[3].tool_calls[0].function.arguments", (UnaryOperator<JsonObject>) r -> {
                    r.getJsonArray("messages").add(new JsonObject().put("role", "assistant").put("tool_calls",
                            new JsonArray().add(new JsonObject().put("id", "c1").put("function",
                                    new JsonObject().put("name", "f").put("arguments", 3)))));
                    return r;
                }),
                Arguments.of("messages[3].tool_call_id", (UnaryOperator<JsonObject>) r -> {
                    r.getJsonArray("messages").add(new JsonObject().put("role", "tool").put("content", "sunny"));
                    return r;
                }),
                Arguments.of("tools", (UnaryOperator<JsonObject>) r -> r.put("tools", new JsonObject())),
                Arguments.of("tools[1]", (UnaryOperator<JsonObject>) r -> r.put("tools",
                        new JsonArray().add(tool("a")).add("b"))),
                Arguments.of("tools[1].function", (UnaryOperator<JsonObject>) r -> r.put("tools",
                        new JsonArray().add(tool("a")).add(new JsonObject().put("type", "function")
                                .put("function", "b")))),
                Arguments.of("tools[1].function.name", (UnaryOperator<JsonObject>) r -> r.put("tools",
                        new JsonArray().add(tool("a")).add(new JsonObject().put("type", "function")
                                .put("function", new JsonObject().put("description", "no name"))))),
                Arguments.of("tools[0].function.parameters", (UnaryOperator<JsonObject>) r -> r.put("tools",
                        new JsonArray().add(new JsonObject().put("type", "function").put("function",
                                new JsonObject().put("name", "a").put("parameters", "object"))))),
                Arguments.of("tool_choice", (UnaryOperator<JsonObject>) r -> r.put("tools",
                        new JsonArray().add(tool("a"))).put("tool_choice", 1)),
                Arguments.of("tool_choice.function.name", (UnaryOperator<JsonObject>) r -> r.put("tools",
                        new JsonArray().add(tool("a"))).put("tool_choice", new JsonObject().put("type", "function")
                                .put("function", new JsonObject()))),
                Arguments.of("max_tokens", (UnaryOperator<JsonObject>) r -> r.put("max_tokens", "100")),
                Arguments.of("max_completion_tokens", (UnaryOperator<JsonObject>) r -> r.put("max_completion_tokens",
                        0)),
                Arguments.of("temperature", (UnaryOperator<JsonObject>) r -> r.put("temperature", "warm")),
                Arguments.of("stop[1]", (UnaryOperator<JsonObject>) r -> r.put("stop", new JsonArray().add("END")
                        .add(5))),
                Arguments.of("stream", (UnaryOperator<JsonObject>) r -> r.put("stream", "yes")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedChats")
    void aChatRequestEitherAdapterCannotReadIsRefusedNamingTheField(String param, UnaryOperator<JsonObject> breakIt) {
        for (ProviderAdapter adapter : TRANSLATING) {
            Deployment deployment = adapter.provider() == ProviderType.ANTHROPIC ? ANTHROPIC : GEMINI;
            InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                    () -> adapter.chatRequest(breakIt.apply(chat()), deployment), adapter.provider().name());
            assertEquals(param, refused.error().error().param(), adapter.provider().name());
            assertEquals("invalid_request_error", refused.error().error().type());
        }
    }

    @Test
    void theRequestItselfStillTranslates() {
        for (ProviderAdapter adapter : TRANSLATING) {
            Deployment deployment = adapter.provider() == ProviderType.ANTHROPIC ? ANTHROPIC : GEMINI;
            assertFalse(adapter.chatRequest(chat().put("tools", new JsonArray().add(tool("a"))), deployment).body()
                    .toJsonObject().isEmpty());
        }
    }

    static Stream<Arguments> malformedEmbeddings() {
        return Stream.of(
                Arguments.of("dimensions", new JsonObject().put("input", "x").put("dimensions", "8")),
                Arguments.of("dimensions", new JsonObject().put("input", "x").put("dimensions", 0)),
                Arguments.of("dimensions", new JsonObject().put("input", "x").put("dimensions", 2.5)),
                Arguments.of("input", new JsonObject()),
                Arguments.of("input", new JsonObject().put("input", new JsonObject())),
                Arguments.of("input[1]", new JsonObject().put("input", new JsonArray().add("a").add(new JsonObject()))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("malformedEmbeddings")
    void anEmbeddingsRequestGeminiCannotReadIsRefusedNamingTheField(String param, JsonObject request) {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> new OpenAiToGeminiAdapter().embeddingsRequest(request.put("model", "e"), GEMINI));
        assertEquals(param, refused.error().error().param());
    }

    @Test
    void tokenArrayInputIsNotGeminisToServeButAnotherDeploymentsMaybe() {
        assertThrows(UnsupportedOperationException.class, () -> new OpenAiToGeminiAdapter().embeddingsRequest(
                new JsonObject().put("input", new JsonArray().add(new JsonArray().add(1).add(2))), GEMINI));
    }

    @Test
    void thePassThroughAdapterReadsOnlyWhatItChangesAndChecksThat() {
        OpenAiCompatibleAdapter adapter = new OpenAiCompatibleAdapter();
        Deployment openAi = Deployments.of(ProviderType.OPENAI, "http://127.0.0.1:1/v1", "gpt", "k", null);
        assertEquals("stream", assertThrows(InvalidRequestException.class,
                () -> adapter.chatRequest(chat().put("stream", 1), openAi)).error().error().param());
        assertEquals("stream_options", assertThrows(InvalidRequestException.class,
                () -> adapter.chatRequest(chat().put("stream", true).put("stream_options", "usage"), openAi))
                .error().error().param());
        // Anything else is the provider's to judge: relayed as sent.
        JsonObject odd = chat().put("tools", "not a list");
        assertEquals("not a list", adapter.chatRequest(odd, openAi).body().toJsonObject().getString("tools"));
    }
}
