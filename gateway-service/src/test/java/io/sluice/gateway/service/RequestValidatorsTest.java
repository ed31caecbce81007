package io.sluice.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.contracts.rest.ApiException;
import io.sluice.testsupport.quarkus.RedisTestResource;
import io.vertx.core.buffer.Buffer;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class RequestValidatorsTest {

    @Inject
    ChatRequestValidator chat;

    @Inject
    EmbeddingsRequestValidator embeddings;

    @Test
    void chatReservesThePromptEstimatePlusMaxTokensForEachChoice() {
        InferenceRequest request = chat.validate(Buffer.buffer("""
                {"model":"sim-gpt","max_tokens":50,"n":2,"stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"Hello world"}]}"""));
        assertEquals("sim-gpt", request.model());
        assertTrue(request.stream());
        assertTrue(request.clientWantsUsage());
        // "Hello world" is 2 cl100k tokens, plus 4 for the message and 3 for the reply.
        assertEquals(9, request.estimate().inputTokens());
        assertEquals(100, request.estimate().outputTokens());
    }

    @Test
    void chatAndEmbeddingsForwardTheClientsOwnBytes() {
        // Fields and number spellings Sluice does not know reach the provider exactly as the client wrote them.
        Buffer chatBody = Buffer.buffer("""
                {"model": "m", "temperature": 1.0E-1, "vendor_extension": {"keep":  [1, 2]},
                 "messages": [{"role": "user", "content": "hi"}]}""");
        assertEquals(chatBody, chat.validate(chatBody).body());
        Buffer embeddingsBody = Buffer.buffer("{ \"model\" : \"e\", \"input\" : \"hi\", \"dimensions\" : 8 }");
        assertEquals(embeddingsBody, embeddings.validate(embeddingsBody).body());
    }

    @Test
    void chatWithoutMaxTokensReservesTheConfiguredDefaultAndIsCappedAtIt() {
        InferenceRequest request = chat.validate(Buffer.buffer(
                "{\"model\":\"m\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertEquals(2 * 4096, request.estimate().outputTokens());
        assertEquals(4096, request.outputCap(), "per choice, for the orchestrator to cap the call at");
        assertFalse(request.clientWantsUsage());

        assertNull(chat.validate(Buffer.buffer("{\"model\":\"m\",\"max_tokens\":9,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).outputCap(), "bounded by the client");
        assertNull(chat.validate(Buffer.buffer("{\"model\":\"m\",\"max_completion_tokens\":9,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).outputCap());
    }

    @Test
    void whatTheAdaptersReadIsCheckedAndTheOffendingParameterNamed() {
        String user = "{\"role\":\"user\",\"content\":\"x\"}";
        assertParam("messages[0].role", chat, "{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}");
        assertParam("messages[0].content", chat, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}");
        assertParam("messages[0].content[0]", chat, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[\"x\"]}]}");
        assertParam("messages[0].content[0].type", chat,
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]}");
        assertParam("messages[0].content[0].text", chat,
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":[]}]}]}");
        assertParam("messages[0].content[0].image_url.url", chat, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\","
                + "\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":7}}]}]}");
        assertParam("messages[0].tool_calls[0].function.arguments", chat, "{\"model\":\"m\",\"messages\":[{\"role\":"
                + "\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"f\","
                + "\"arguments\":{}}}]}]}");
        assertParam("messages[0].tool_calls[0].id", chat, "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\","
                + "\"tool_calls\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}]}");
        assertParam("messages[0].tool_call_id", chat,
                "{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\",\"tool_call_id\":1}]}");
        assertParam("tools[0].function.name", chat, "{\"model\":\"m\",\"messages\":[" + user + "],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get weather!\"}}]}");
        assertParam("tools[0].function.parameters", chat, "{\"model\":\"m\",\"messages\":[" + user + "],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":\"{}\"}}]}");
        assertParam("tools[0].type", chat, "{\"model\":\"m\",\"messages\":[" + user + "],"
                + "\"tools\":[{\"type\":\"code\",\"function\":{\"name\":\"f\"}}]}");
        assertParam("tool_choice", chat, "{\"model\":\"m\",\"messages\":[" + user + "],\"tool_choice\":\"always\"}");
        assertParam("tool_choice.function.name", chat, "{\"model\":\"m\",\"messages\":[" + user + "],"
                + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":5}}}");
        assertParam("stop", chat, "{\"model\":\"m\",\"messages\":[" + user + "],\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}");
        assertParam("stop[1]", chat, "{\"model\":\"m\",\"messages\":[" + user + "],\"stop\":[\"a\",2]}");
        assertParam("temperature", chat, "{\"model\":\"m\",\"messages\":[" + user + "],\"temperature\":3}");
        assertParam("top_p", chat, "{\"model\":\"m\",\"messages\":[" + user + "],\"top_p\":\"1\"}");
        assertParam("user", chat, "{\"model\":\"m\",\"messages\":[" + user + "],\"user\":\"a\\u0000b\"}");
    }

    @Test
    void fieldsThatChangeTheProvidersPriceAreRefused() {
        String hello = "\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";
        for (String refused : List.of("\"service_tier\":\"priority\"", "\"service_tier\":\"flex\"",
                "\"modalities\":[\"text\",\"audio\"]", "\"audio\":{\"voice\":\"alloy\",\"format\":\"mp3\"}",
                "\"web_search_options\":{}", "\"store\":true")) {
            ApiException refusal = assertThrows(ApiException.class,
                    () -> chat.validate(Buffer.buffer("{" + hello + "," + refused + "}")), refused);
            assertEquals("unsupported_parameter", refusal.error().error().code());
            assertEquals(refused.substring(1, refused.indexOf('"', 1)), refusal.error().error().param());
        }
        for (String priced : List.of("\"service_tier\":\"auto\"", "\"service_tier\":\"default\"",
                "\"modalities\":[\"text\"]", "\"store\":false",
                "\"prediction\":{\"type\":\"content\",\"content\":\"x\"}")) {
            chat.validate(Buffer.buffer("{" + hello + "," + priced + "}"));
        }
    }

    @Test
    void embeddingsInputTakesOneOfOpenAisFormsAndTheirOptions() {
        for (String input : List.of("\"hi\"", "[\"a\",\"b\"]", "[1,2,3]", "[[1,2],[3]]")) {
            embeddings.validate(Buffer.buffer("{\"model\":\"e\",\"input\":" + input + "}"));
        }
        assertParam("input[1]", embeddings, "{\"model\":\"e\",\"input\":[\"a\",1]}");
        assertParam("input[1]", embeddings, "{\"model\":\"e\",\"input\":[[1],\"a\"]}");
        assertParam("input[0][1]", embeddings, "{\"model\":\"e\",\"input\":[[1,-2]]}");
        assertParam("input[1]", embeddings, "{\"model\":\"e\",\"input\":[\"a\",\"\"]}");
        assertParam("input[0]", embeddings, "{\"model\":\"e\",\"input\":[{}]}");
        assertParam("dimensions", embeddings, "{\"model\":\"e\",\"input\":\"x\",\"dimensions\":0}");
        assertParam("dimensions", embeddings, "{\"model\":\"e\",\"input\":\"x\",\"dimensions\":\"8\"}");
        assertParam("encoding_format", embeddings, "{\"model\":\"e\",\"input\":\"x\",\"encoding_format\":\"int8\"}");
    }

    @Test
    void chatBoundsAreEnforcedWithTheOffendingParameterNamed() {
        assertParam("max_tokens", chat, "{\"model\":\"m\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertParam("max_tokens", chat, "{\"model\":\"m\",\"max_tokens\":999999999,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertParam("max_tokens", chat, "{\"model\":\"m\",\"max_tokens\":\"9\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertParam("n", chat, "{\"model\":\"m\",\"n\":9,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertParam("messages[0]", chat, "{\"model\":\"m\",\"messages\":[\"hello\"]}");
        assertParam("messages[0].content", chat,
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(262_145) + "\"}]}");
        assertParam("model", chat, "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertParam("messages", chat, "{\"model\":\"m\",\"messages\":{}}");
        assertParam("stream", chat, "{\"model\":\"m\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    }

    @Test
    void embeddingsNeedANonEmptyInputAndEstimateItsTokens() {
        InferenceRequest request = embeddings.validate(Buffer.buffer(
                "{\"model\":\"sim-embed\",\"input\":[\"Hello world\",\"Hello\"]}"));
        assertEquals(3, request.estimate().inputTokens());
        assertEquals(0, request.estimate().outputTokens());
        assertParam("input", embeddings, "{\"model\":\"sim-embed\",\"input\":[]}");
        assertParam("input", embeddings, "{\"model\":\"sim-embed\"}");
    }

    private static void assertParam(String param, InferenceRequestValidator validator, String body) {
        ApiException refused = assertThrows(ApiException.class, () -> validator.validate(Buffer.buffer(body)));
        assertEquals(400, refused.status());
        assertEquals(param, refused.error().error().param());
    }
}
